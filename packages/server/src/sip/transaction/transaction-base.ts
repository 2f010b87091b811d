import type { Clock, TimerHandle } from '../../core/index.js';

/** RFC 3261 §17.1.1.1 timer values; T1 is the RTT estimate, T2 the cap for non-INVITE retransmits. */
export interface TimerSettings {
  t1: number;
  t2: number;
  t4: number;
  /** Timer D over UDP: how long an INVITE client transaction absorbs retransmitted final responses (≥ 32 s). */
  d: number;
}

export const defaultTimerSettings: TimerSettings = { t1: 500, t2: 4000, t4: 5000, d: 32_000 };

/** A state machine's table: for each state, the inputs it accepts and the state each leads to. */
export type TransitionTable<State extends string, Input extends string> = Readonly<
  Record<State, Readonly<Partial<Record<Input, State>>>>
>;

export class IllegalTransitionError extends Error {
  constructor(machine: string, state: string, input: string) {
    super(`${machine}: input "${input}" is not allowed in state ${state}`);
    this.name = 'IllegalTransitionError';
  }
}

/**
 * What the four transaction machines share: the current state, a table that says which moves are
 * legal, named timers from the injected clock, and a single `terminated` notification.
 */
export abstract class TransactionMachine<State extends string, Input extends string> {
  #state: State;
  readonly #table: TransitionTable<State, Input>;
  readonly #clock: Clock;
  readonly #timers = new Map<string, TimerHandle>();
  #terminatedListeners: Array<() => void> = [];

  protected constructor(initial: State, table: TransitionTable<State, Input>, clock: Clock) {
    this.#state = initial;
    this.#table = table;
    this.#clock = clock;
  }

  get state(): State {
    return this.#state;
  }

  /** Registers a listener called once when the transaction reaches Terminated (the layer forgets it then). */
  onTerminated(listener: () => void): void {
    this.#terminatedListeners.push(listener);
  }

  get activeTimers(): number {
    return this.#timers.size;
  }

  /** Moves along the table; an input the table does not list for the current state is a bug. */
  protected transition(input: Input): { from: State; to: State } {
    const from = this.#state;
    const to = this.#table[from][input];
    if (to === undefined) throw new IllegalTransitionError(this.constructor.name, from, input);
    this.#state = to;
    if (to === this.terminatedState && from !== to) this.#terminate();
    return { from, to };
  }

  /** Whether the table accepts `input` now; used to ignore late events such as a timer racing a stop. */
  protected accepts(input: Input): boolean {
    return this.#table[this.#state][input] !== undefined;
  }

  protected abstract get terminatedState(): State;

  /**
   * Ends the transaction outside its table because its owner is shutting down: timers are cancelled
   * and the layer is told, but no message is sent and the TU hears nothing more.
   */
  destroy(): void {
    if (this.#state === this.terminatedState) return;
    this.#state = this.terminatedState;
    this.#terminate();
  }

  protected startTimer(name: string, delayMs: number, fire: () => void): void {
    this.#timers.get(name)?.cancel();
    this.#timers.set(
      name,
      this.#clock.setTimer(delayMs, () => {
        this.#timers.delete(name);
        fire();
      }),
    );
  }

  protected cancelTimer(name: string): void {
    this.#timers.get(name)?.cancel();
    this.#timers.delete(name);
  }

  #terminate(): void {
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    const listeners = this.#terminatedListeners;
    this.#terminatedListeners = [];
    for (const listener of listeners) listener();
  }
}
