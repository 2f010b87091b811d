import { afterEach, describe, expect, it } from 'vitest';
import { installCrashPolicy } from './crash-policy.js';

function recordingLogger() {
  const lines: Array<{ level: string; obj: object; msg?: string }> = [];
  const log = (level: string) => (obj: object, msg?: string) =>
    lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  const logger = {
    fatal: log('fatal'),
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return { logger, lines };
}

describe('crash policy of strowger start', () => {
  let uninstall: (() => void) | undefined;
  afterEach(() => uninstall?.());

  it('an unhandled rejection MUST be logged as fatal with its cause, then stop, then exit 1', async () => {
    const { logger, lines } = recordingLogger();
    const events: string[] = [];
    let exited: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    uninstall = installCrashPolicy({
      logger,
      stop: async () => {
        events.push('stop');
      },
      exit: (code) => {
        events.push(`exit ${code}`);
        exited(code);
      },
    });
    const cause = new Error('boom from a forgotten promise');
    process.emit('unhandledRejection', cause, Promise.resolve());
    expect(await exitCode).toBe(1);
    expect(events).toEqual(['stop', 'exit 1']);
    expect(lines[0]).toMatchObject({ level: 'fatal', obj: { err: cause, kind: 'unhandled promise rejection' } });
  });

  it('a stop that hangs MUST NOT keep the process alive past the timeout', async () => {
    const { logger, lines } = recordingLogger();
    let exited: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    uninstall = installCrashPolicy({ logger, stop: () => new Promise(() => undefined), exit: exited, timeoutMs: 10 });
    process.emit('uncaughtException', new Error('thrown past everything'));
    expect(await exitCode).toBe(1);
    expect(lines.map((line) => line.msg)).toContain('stopping took too long; exiting');
  });
});
