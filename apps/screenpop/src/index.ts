export { startScreenPop, type ScreenPop, type ScreenPopOptions } from './screen-pop.js';
export { fillTemplate, templateProblem, type PopFields } from './url-template.js';
export { browserCommand, openAction, printAction, webhookAction, type Pop, type PopAction } from './actions.js';
