/** A SIP device's digest credentials as the registrar sees them: never a clear-text password. */
export interface SipAccount {
  readonly deviceName: string;
  readonly username: string;
  /** HA1 = H(username:realm:password) per algorithm (RFC 7616 §3.4.2), made for `realm`. */
  readonly ha1: { readonly realm: string; readonly md5: string; readonly sha256: string };
}

/** The registrar's view of the configuration; the composition root builds it from the in-memory snapshot. */
export interface SipAccountDirectory {
  findByUsername(username: string): SipAccount | undefined;
}
