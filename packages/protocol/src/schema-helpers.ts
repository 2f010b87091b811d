import { Type, type TLiteral, type TNull, type TSchema, type TUnion } from '@sinclair/typebox';

/** A union of string literals from the keys of one of the const tables (states travel as names). */
export function namesOf<const T extends Record<string, number>>(
  table: T,
  description: string,
): TUnion<TLiteral<Extract<keyof T, string>>[]> {
  return Type.Union(Object.keys(table).map((name) => Type.Literal(name)) as TLiteral<Extract<keyof T, string>>[], {
    description,
  });
}

/** `T | null`: a field that is always present and says "none" with null rather than by being absent. */
export function Nullable<T extends TSchema>(schema: T, description?: string): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()], description === undefined ? {} : { description });
}
