/**
 * The SIP stack, in RFC 3261's own layers: message → transport → transaction → dialog → user-agent
 * core, with digest authentication beside the message model. It knows nothing of phones or calls.
 */
export * from './message/index.js';
export * from './auth/index.js';
export * from './transport/index.js';
export * from './transaction/index.js';
export * from './dialog/index.js';
export * from './ua/index.js';
