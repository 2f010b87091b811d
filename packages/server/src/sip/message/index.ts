export type {
  Params,
  SipUri,
  TelUri,
  AbsoluteUri,
  Uri,
  NameAddress,
  ContactValue,
  Via,
  CSeq,
  HeaderField,
  SipRequestInit,
  SipResponseInit,
} from './types.js';
export { SipMessage, SipRequest, SipResponse, type SipMessageAny } from './message.js';
export { SipParseError } from './parse-error.js';
export { parseMessage } from './parser.js';
export { serializeMessage } from './serializer.js';
export { createResponse, reasonPhrases, type CreateResponseOptions } from './response.js';
export { parseUri, formatUri, uriEquals, isSipUri, isTelUri, formatHost, parseHostPort } from './uri.js';
export { parseNameAddress, formatNameAddress, parseContactValue, isWildcard } from './name-address.js';
export { parseVia, formatVia } from './via.js';
export { unquote, quote, splitList } from './grammar.js';
export { headerKey, canonicalHeaderName } from './header-names.js';
export { generateBranch, generateTag, generateCallId, BRANCH_MAGIC_COOKIE } from './ids.js';
export { knownSipMethods } from './methods.js';
