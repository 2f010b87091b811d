import { silentLogger, type Logger } from '@strowger/core';

/**
 * The IVR's log for a live test: silent, unless STROWGER_IVR_TEST_LOG asks for it on stderr (to see
 * why a test failed).
 */
export function ivrTestLogger(bindings: Record<string, unknown> = {}): Logger {
  if (process.env.STROWGER_IVR_TEST_LOG === undefined) return silentLogger;
  const write = (level: string) => (obj: object, msg?: string) =>
    console.error(
      `ivr ${level} ${msg ?? ''} ${JSON.stringify({ ...bindings, ...obj }, (_k, v: unknown) => (v instanceof Error ? v.message : v))}`,
    );
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (more) => ivrTestLogger({ ...bindings, ...more }),
  };
}
