import { BRANCH_MAGIC_COOKIE, formatUri, formatVia, type SipRequest, type SipResponse } from '../message/index.js';

/**
 * The key a request matches a server transaction by (RFC 3261 §17.2.3): the top Via's branch and
 * sent-by, and the method, with ACK matching the INVITE it acknowledges. A CANCEL gets its own
 * transaction, so it keys under its own method.
 */
export function serverKey(request: SipRequest, methodOverride?: string): string {
  const via = request.topVia;
  const method = methodOverride ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  const branch = via.params.get('branch');
  if (branch !== undefined && branch !== null && branch.startsWith(BRANCH_MAGIC_COOKIE)) {
    return `${branch}|${via.host.toLowerCase()}:${via.port ?? ''}|${method}`;
  }
  // §17.2.3 fallback for RFC 2543 peers without the magic cookie: Request-URI, From tag, Call-ID,
  // CSeq number and top Via identify the transaction.
  // NOTE: the To tag of the ACK is not compared against the response's To tag; a 2543 peer sending
  // ACKs for two different INVITEs with identical other fields is not a case phones produce.
  return `2543|${formatUri(request.uri)}|${request.from.params.get('tag') ?? ''}|${request.callId}|${request.cseq.seq}|${formatVia(via)}|${method}`;
}

/** The key a response matches a client transaction by (§17.1.3): top Via branch and CSeq method. */
export function clientKey(message: SipRequest | SipResponse): string | undefined {
  const branch = message.topVia.params.get('branch');
  if (branch === undefined || branch === null) return undefined;
  const method = message.cseq.method;
  return `${branch}|${method === 'ACK' ? 'INVITE' : method}`;
}
