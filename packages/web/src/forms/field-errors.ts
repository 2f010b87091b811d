import type { Problem } from '../api/problem';

/** Messages for a form: each under the field it is about, and the rest above the form. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string[];
}

/**
 * Places the server's problem+json on a form. The server names each field it rejects as a path
 * into the request (`body.forward.busy.destination`, `body.lines[1]`); the message goes to the
 * form field with the longest name that path starts with (`forward.busy.destination`, `lines`).
 * A problem about no field of the form — a rule across fields, a 412, a 403 — goes above the form,
 * where it cannot be missed. A 409 (the key is taken) belongs to the key field when the form names it.
 */
export function formErrorsFromProblem(
  problem: Problem,
  formFields: readonly string[],
  options: { keyField?: string } = {},
): FormErrors {
  const errors: FormErrors = { fields: {}, general: [] };
  const place = (field: string, message: string) => {
    errors.fields[field] = errors.fields[field] === undefined ? message : `${errors.fields[field]}; ${message}`;
  };
  if (problem.status === 409 && options.keyField !== undefined && formFields.includes(options.keyField)) {
    place(options.keyField, problem.detail);
    return errors;
  }
  const listed = problem.errors ?? [];
  for (const { field, message } of listed) {
    const path = normalisedPath(field);
    const target = longestFieldPrefix(path, formFields);
    if (target === undefined) errors.general.push(field === '' || path === '' ? message : `${field}: ${message}`);
    else place(target, message);
  }
  if (listed.length === 0) errors.general.push(problem.detail);
  return errors;
}

/** `body.lines[1]` → `lines.1`; `body` and `path.name` → what the form may call them. */
export function normalisedPath(field: string): string {
  return field
    .replace(/^(body|query|path)(\.|$)/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\./, '');
}

function longestFieldPrefix(path: string, formFields: readonly string[]): string | undefined {
  if (path === '') return undefined;
  let best: string | undefined;
  for (const field of formFields) {
    if ((path === field || path.startsWith(`${field}.`)) && (best === undefined || field.length > best.length)) {
      best = field;
    }
  }
  return best;
}
