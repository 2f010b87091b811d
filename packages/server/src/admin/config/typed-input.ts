import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ErrorCode, StrowgerError } from '../../core/index.js';

/**
 * Narrows a request part that the route's schema has already validated to that schema's static
 * type, for routes registered generically (one function for every kind of configuration object),
 * where fastify cannot carry a generic schema's type into the handler. The check is the schema's own
 * compiled check, so the type can never claim more than was validated.
 */
export function typedInput<T extends TSchema>(schema: T, where: string): (value: unknown) => Static<T> {
  const check = TypeCompiler.Compile(schema);
  return (value) => {
    if (check.Check(value)) return value;
    const first = check.Errors(value).First();
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `${where}${first === undefined ? '' : `${first.path.replace(/\//g, '.')}: ${first.message}`}; see /api/v1/openapi.json for the expected shape`,
    );
  };
}
