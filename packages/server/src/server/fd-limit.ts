import { readFileSync } from 'node:fs';

/** File descriptors kept free of SIP over TCP: the HTTP and CTI listeners, the database, logs, media. */
const reservedDescriptors = 256;
/** Above this, more connections buy nothing a single call manager needs. */
const ceiling = 4096;

/** The process's soft limit on open files (Linux's /proc), or undefined where it cannot be read. */
export function openFilesSoftLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (match === null) return undefined;
  return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

/**
 * The default bound on SIP TCP connections: at most half of what the soft limit leaves after a
 * reserve, so that a flood of connections fails at our limit (refused, logged) and never at the
 * kernel's, where accept() on the HTTP and CTI listeners would fail instead.
 */
export function defaultTcpConnectionLimit(softLimit: number | undefined): number {
  if (softLimit === undefined) return 1024;
  return Math.max(16, Math.min(ceiling, Math.floor((softLimit - reservedDescriptors) / 2)));
}
