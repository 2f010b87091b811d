export {
  TransactionLayer,
  type TransactionLayerEvents,
  type ClientTransaction,
  type ClientRequestCallbacks,
} from './transaction-layer.js';
export {
  InviteClientTransaction,
  NonInviteClientTransaction,
  buildNon2xxAck,
  type ClientTransactionContext,
  type InviteClientState,
  type NonInviteClientState,
} from './client-transactions.js';
export {
  InviteServerTransaction,
  NonInviteServerTransaction,
  type ServerTransaction,
  type ServerTransactionContext,
  type InviteServerState,
  type NonInviteServerState,
} from './server-transactions.js';
export { defaultTimerSettings, IllegalTransitionError, type TimerSettings } from './transaction-base.js';
export { serverKey, clientKey } from './transaction-keys.js';
