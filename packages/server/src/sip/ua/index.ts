export { SipUserAgent, buildCancel, type SipUserAgentOptions, type CreateRequestOptions } from './user-agent.js';
export { IncomingRequest, type RespondOptions } from './incoming-request.js';
