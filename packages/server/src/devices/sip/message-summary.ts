/**
 * The body of a message-summary NOTIFY (RFC 3842 §5.2, application/simple-message-summary): whether
 * messages wait, and the account they wait in.
 */
export function messageSummary(waiting: boolean, account: string): string {
  return `Messages-Waiting: ${waiting ? 'yes' : 'no'}\r\nMessage-Account: ${account}\r\n`;
}
