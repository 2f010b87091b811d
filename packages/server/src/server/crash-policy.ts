import type { Logger } from '../core/index.js';

/** How long a crashing process spends closing its listeners and database before it exits anyway. */
export const crashStopTimeoutMs = 5000;

export interface CrashPolicyOptions {
  logger: Logger & { fatal(obj: object, msg?: string): void };
  /** Closes what the process holds (listeners, the database, the data directory's lock). */
  stop: () => Promise<void>;
  exit?: (code: number) => void;
  timeoutMs?: number;
}

/**
 * The process-level policy of `strowger start` for an error nobody caught: log it loudly, with its
 * stack, then stop and exit 1.
 *
 * It exits rather than carrying on because, once an exception has unwound past code that did not
 * expect it, a transaction, call or lock may be half-changed (Node's own documentation calls resuming
 * after 'uncaughtException' unsafe), and a call manager that keeps answering from a broken state is
 * worse than one that restarts: the supervisor (systemd `Restart=on-failure`, a container's restart
 * policy) starts it again within seconds, and phones re-register. An unhandled rejection is treated
 * the same, as Node 20 does by default, but logged first instead of as a bare stack on stderr.
 * The stop is bounded, so a hung close cannot keep a broken process alive.
 */
export function installCrashPolicy(options: CrashPolicyOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let crashing = false;
  const crash = (kind: string, error: unknown) => {
    options.logger.fatal({ err: error, kind }, `${kind}: the process is in an unknown state and exits; this is a bug`);
    if (crashing) return;
    crashing = true;
    const timer = setTimeout(() => {
      options.logger.fatal({ timeoutMs: options.timeoutMs ?? crashStopTimeoutMs }, 'stopping took too long; exiting');
      exit(1);
    }, options.timeoutMs ?? crashStopTimeoutMs);
    const done = () => {
      clearTimeout(timer);
      exit(1);
    };
    options.stop().then(done, (stopError: unknown) => {
      options.logger.error({ err: stopError }, 'stopping after the crash failed');
      done();
    });
  };
  const onRejection = (reason: unknown) => crash('unhandled promise rejection', reason);
  const onException = (error: Error) => crash('uncaught exception', error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
