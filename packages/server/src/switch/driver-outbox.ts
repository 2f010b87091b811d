import type { Logger } from '../core/index.js';
import type { DeviceDriver } from './ports.js';

/**
 * The engine's queue of commands to device drivers. Commands are queued while the engine changes a
 * call and run a microtask after the change completes, in order, so a driver may report back at
 * once without re-entering a half-made change; a driver that throws is logged and the rest still run.
 */
export class DriverOutbox {
  #queue: Array<() => void> = [];
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Queues a command for a driver; without a driver (the leg is gone) there is nothing to tell. */
  command(driver: DeviceDriver | undefined, run: (driver: DeviceDriver) => void): void {
    if (driver === undefined) return;
    this.#queue.push(() => run(driver));
  }

  /** Queues work that is not one driver's command (an asynchronous media join, say). */
  push(run: () => void): void {
    this.#queue.push(run);
  }

  /** Runs what is queued, a microtask from now. */
  flush(): void {
    if (this.#queue.length === 0) return;
    const commands = this.#queue;
    this.#queue = [];
    queueMicrotask(() => {
      for (const command of commands) {
        try {
          command();
        } catch (error) {
          this.#logger.error({ err: error }, 'a device driver failed a command');
        }
      }
    });
  }
}
