/**
 * The request methods of RFC 3261 and the extensions in common use (PRACK RFC 3262, SUBSCRIBE/NOTIFY
 * RFC 6665, PUBLISH RFC 3903, INFO RFC 6086, REFER RFC 3515, MESSAGE RFC 3428, UPDATE RFC 3311).
 * A method outside this list is unknown: 501 rather than 405, and "other" in metrics labels.
 */
export const knownSipMethods: ReadonlySet<string> = new Set([
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
]);
