/**
 * The document a form sends. PUT replaces the whole object (a field left out takes its default),
 * so the fields this form does not show are sent back as they were read; the ones it owns are
 * taken from the form, and an owned field the form left out is left out (cleared).
 */
export function withUnshownFields<T extends object>(
  loaded: T | undefined,
  owned: readonly string[],
  edited: Partial<T>,
): T {
  const document: Record<string, unknown> = { ...loaded };
  for (const field of owned) delete document[field];
  return { ...document, ...edited } as T;
}
