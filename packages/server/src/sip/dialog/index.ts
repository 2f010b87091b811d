export { Dialog, DialogSet, dialogKey, type DialogId, type DialogState } from './dialog.js';
