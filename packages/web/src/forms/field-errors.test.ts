import { describe, expect, it } from 'vitest';
import type { Problem } from '../api/problem';
import { formErrorsFromProblem, normalisedPath } from './field-errors';

const invalid = (errors: Problem['errors'], detail = 'the request is invalid'): Problem => ({
  status: 400,
  code: 'INVALID_ARGUMENT',
  title: 'INVALID_ARGUMENT',
  detail,
  ...(errors === undefined ? {} : { errors }),
});

describe('placing the server problem+json on a form', () => {
  const fields = ['dn', 'lines', 'forward.busy.destination', 'sip.username'];

  it('a field the server names MUST show its message at that form field', () => {
    const placed = formErrorsFromProblem(invalid([{ field: 'body.dn', message: 'must match pattern' }]), fields);
    expect(placed).toEqual({ fields: { dn: 'must match pattern' }, general: [] });
  });

  it('an item of a list MUST go to the list field, and nested paths to the deepest field that contains them', () => {
    const placed = formErrorsFromProblem(
      invalid([
        { field: 'body.lines[1]', message: 'line 9999 is not declared' },
        { field: 'body.forward.busy.destination', message: 'must match pattern' },
      ]),
      fields,
    );
    expect(placed.fields).toEqual({
      lines: 'line 9999 is not declared',
      'forward.busy.destination': 'must match pattern',
    });
  });

  it('two problems with one field MUST both be shown', () => {
    const placed = formErrorsFromProblem(
      invalid([
        { field: 'body.dn', message: 'is too long' },
        { field: 'body.dn', message: 'must match pattern' },
      ]),
      fields,
    );
    expect(placed.fields.dn).toBe('is too long; must match pattern');
  });

  it('a problem about no field of the form MUST go above the form, naming where', () => {
    const placed = formErrorsFromProblem(
      invalid([
        { field: 'body', message: 'busyTrigger 3 is above maxCalls 2' },
        { field: 'body.colour', message: 'is not a known field' },
      ]),
      fields,
    );
    expect(placed.fields).toEqual({});
    expect(placed.general).toEqual(['busyTrigger 3 is above maxCalls 2', 'body.colour: is not a known field']);
  });

  it('a problem without field errors MUST show its detail above the form', () => {
    const stale: Problem = { status: 412, code: 'INVALID_STATE', title: 'INVALID_STATE', detail: 'the line changed' };
    expect(formErrorsFromProblem(stale, fields)).toEqual({ fields: {}, general: ['the line changed'] });
  });

  it('a 409 MUST be shown at the key field when the form has one', () => {
    const taken: Problem = { status: 409, code: 'INVALID_ARGUMENT', title: 'x', detail: 'line 1001 already exists' };
    expect(formErrorsFromProblem(taken, fields, { keyField: 'dn' }).fields).toEqual({ dn: 'line 1001 already exists' });
  });

  it('paths MUST lose their request part and take dots for indexes', () => {
    expect(normalisedPath('body.lines[0]')).toBe('lines.0');
    expect(normalisedPath('query.limit')).toBe('limit');
    expect(normalisedPath('body')).toBe('');
  });
});
