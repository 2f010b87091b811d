/**
 * The SIP message model (RFC 3261 §7, §19, §20, §25). This file is the contract the other layers of
 * the stack (transport, transaction, dialog, auth, user-agent helpers) are written against.
 *
 * Parameter maps keep insertion order and use lower-cased names as keys (RFC 3261 §19.1.4 and §7.3.1:
 * parameter names are case-insensitive); a value of `null` is a flag parameter such as `;lr`.
 */
export type Params = Map<string, string | null>;

export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  /** The user part exactly as written (still %-escaped), or undefined. */
  user: string | undefined;
  password: string | undefined;
  /** Host name, IPv4 address, or IPv6 reference without the brackets (e.g. `2001:db8::10`). */
  host: string;
  port: number | undefined;
  params: Params;
  /** URI headers (`?subject=x&priority=urgent`), values still %-escaped. */
  headers: Map<string, string>;
}

export interface TelUri {
  readonly scheme: 'tel';
  /** The subscriber number exactly as written, including a leading `+` and visual separators. */
  number: string;
  params: Params;
}

/** Any other absolute URI (RFC 3986), kept as text: `mailto:`, `urn:`, `http:`… */
export interface AbsoluteUri {
  readonly scheme: string;
  readonly raw: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;

/** `name-addr` or `addr-spec` with header parameters: From, To, Contact, Route, Record-Route, Refer-To… */
export interface NameAddress {
  /** Display name without quotes and with quoted-pair escapes resolved, or undefined. */
  displayName: string | undefined;
  uri: Uri;
  /** Header parameters after the URI (`;tag=…`, `;expires=…`, `;q=…`). */
  params: Params;
}

/** A Contact header is either `*` (only valid in REGISTER with Expires: 0) or a list of addresses. */
export type ContactValue = { readonly wildcard: true } | NameAddress;

/** One Via header field value (RFC 3261 §20.42, §18.2.1; RFC 3581 rport). */
export interface Via {
  /** Transport in upper case: UDP, TCP, TLS, SCTP, WS, WSS, or an extension token. */
  transport: string;
  host: string;
  port: number | undefined;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

/**
 * A header field: `name` is the canonical long form as we write it (`Via`, `Call-ID`, `WWW-Authenticate`),
 * whatever form arrived (compact `v`, `i`, any case); `value` is the field value with line folding
 * replaced by a single space and surrounding whitespace trimmed. A header line carrying a
 * comma-separated list stays one field here; typed accessors split lists where the grammar allows.
 */
export interface HeaderField {
  name: string;
  value: string;
}

export interface SipRequestInit {
  method: string;
  uri: Uri;
  headers?: HeaderField[];
  body?: Uint8Array;
}

export interface SipResponseInit {
  status: number;
  reason?: string;
  headers?: HeaderField[];
  body?: Uint8Array;
}
