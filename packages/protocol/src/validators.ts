import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Event, eventSchemas } from './events.js';
import { ClientFrame, EventsFrame, ServerFrame } from './frames.js';
import { methods, type MethodName } from './methods.js';

/** Where a value first fails its schema: a JSON pointer to the field and what is wrong with it. */
export interface SchemaProblem {
  path: string;
  message: string;
}

export interface Validator<T> {
  check(value: unknown): value is T;
  /** The first problem, or undefined when the value is valid. */
  problem(value: unknown): SchemaProblem | undefined;
}

/** A validator compiled on first use, so importing the package costs nothing until it validates. */
export function compile<S extends TSchema>(schema: S): Validator<Static<S>> {
  let compiled: TypeCheck<S> | undefined;
  const get = (): TypeCheck<S> => (compiled ??= TypeCompiler.Compile(schema));
  return {
    check: (value): value is Static<S> => get().Check(value),
    problem(value) {
      const first = get().Errors(value).First();
      return first === undefined ? undefined : { path: first.path === '' ? '/' : first.path, message: first.message };
    },
  };
}

type MethodValidators = {
  [M in MethodName]: {
    params: Validator<Static<(typeof methods)[M]['params']>>;
    result: Validator<Static<(typeof methods)[M]['result']>>;
  };
};

const eventByType = new Map<string, Validator<Event>>(
  Object.entries(eventSchemas).map(([type, schema]) => [type, compile(schema) as Validator<Event>]),
);

/**
 * An event checked against the one schema its `type` names, not tried against each of the union's
 * sixty members in turn: what a client pays per event is then one object's check. The verdict is
 * the union's (an event is valid exactly when its own type's schema accepts it).
 */
function checkEvent(value: unknown): value is Event {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && eventByType.get(type)?.check(value) === true;
}

/** The events frame's envelope with its events left to `checkEvent`. */
const eventsEnvelope = compile(Type.Object({ ...EventsFrame.properties, events: Type.Array(Type.Unknown()) }));
const wholeServerFrame = compile(ServerFrame);

const serverFrame: Validator<ServerFrame> = {
  check(value): value is ServerFrame {
    if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'events') {
      return eventsEnvelope.check(value) && value.events.every(checkEvent);
    }
    return wholeServerFrame.check(value);
  },
  problem: (value) => wholeServerFrame.problem(value),
};

const event: Validator<Event> = { check: checkEvent, problem: compile(Event).problem };

/** Compiled validators for every frame, every method's params and result, and every event. */
export const validators = {
  clientFrame: compile(ClientFrame),
  serverFrame,
  event,
  methods: Object.fromEntries(
    Object.entries(methods).map(([name, { params, result }]) => [
      name,
      { params: compile(params), result: compile(result) },
    ]),
  ) as MethodValidators,
};
