import { SipResponse, type SipRequest } from './message.js';
import type { HeaderField } from './types.js';

/** Reason phrases of RFC 3261 §21 and the extensions we send. */
export const reasonPhrases: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  305: 'Use Proxy',
  380: 'Alternative Service',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  421: 'Extension Required',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  485: 'Ambiguous',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  493: 'Undecipherable',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

export interface CreateResponseOptions {
  toTag?: string;
  headers?: HeaderField[];
  body?: Uint8Array;
}

/**
 * Builds a response to `request` as RFC 3261 §8.2.6.2 says: Via (every value, in order), From,
 * Call-ID and CSeq copied; To copied with `toTag` added when the request's To has no tag.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  options: CreateResponseOptions = {},
): SipResponse {
  const headers: HeaderField[] = [];
  for (const value of request.getHeaders('Via')) headers.push({ name: 'Via', value });
  // Only a 400 to a malformed request (RFC 4475 "insuf") can lack one of these; it copies what exists.
  const from = request.getHeader('From');
  if (from !== undefined) headers.push({ name: 'From', value: from });
  if (request.getHeader('To') !== undefined) headers.push({ name: 'To', value: toValue(request, options.toTag) });
  const callId = request.getHeader('Call-ID');
  if (callId !== undefined) headers.push({ name: 'Call-ID', value: callId });
  const cseq = request.getHeader('CSeq');
  if (cseq !== undefined) headers.push({ name: 'CSeq', value: cseq });
  if (options.headers !== undefined) headers.push(...options.headers);
  return new SipResponse({
    status,
    reason: reason ?? reasonPhrases[status] ?? defaultReason(status),
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

function toValue(request: SipRequest, toTag: string | undefined): string {
  const raw = request.getHeader('To') ?? '';
  if (toTag === undefined) return raw;
  let hasTag: boolean;
  try {
    hasTag = request.to.params.has('tag');
  } catch {
    return raw;
  }
  // Header parameters follow the URI in both name-addr and addr-spec form, so appending keeps the
  // request's own spelling of the To header.
  return hasTag ? raw : `${raw};tag=${toTag}`;
}

function defaultReason(status: number): string {
  if (status < 200) return 'Session Progress';
  if (status < 300) return 'OK';
  if (status < 400) return 'Redirect';
  if (status < 500) return 'Client Error';
  if (status < 600) return 'Server Error';
  return 'Global Failure';
}
