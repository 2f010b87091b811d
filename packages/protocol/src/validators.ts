import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Event } from './events.js';
import { ClientFrame, ServerFrame } from './frames.js';
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

/** Compiled validators for every frame, every method's params and result, and every event. */
export const validators = {
  clientFrame: compile(ClientFrame),
  serverFrame: compile(ServerFrame),
  event: compile(Event),
  methods: Object.fromEntries(
    Object.entries(methods).map(([name, { params, result }]) => [
      name,
      { params: compile(params), result: compile(result) },
    ]),
  ) as MethodValidators,
};
