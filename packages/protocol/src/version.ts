/**
 * The protocol's major version. A client offers the versions it speaks in `hello`; the server picks
 * the highest both speak. Additions that an older client can ignore (a new event, a new optional
 * field, a new method) keep the number; anything that changes the meaning of an existing frame
 * raises it.
 */
export const PROTOCOL_VERSION = 1;

/** The versions this package describes, highest last. */
export const SUPPORTED_PROTOCOLS: readonly number[] = [PROTOCOL_VERSION];

/** The TCP port CTIManager listens on, and so do we by default. */
export const DEFAULT_CTI_PORT = 2748;
