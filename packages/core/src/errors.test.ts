import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, StrowgerError, isStrowgerError } from './errors.js';

const documented = [
  ...readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\| `([A-Z_]+)` \|/gm),
].map((match) => match[1]);

describe('error codes', () => {
  it('every error code MUST be documented in docs/errors.md', () => {
    expect(documented.sort()).toEqual(expect.arrayContaining(Object.values(ErrorCode).sort()));
  });

  it('every code documented in docs/errors.md MUST exist', () => {
    expect(Object.values(ErrorCode).sort()).toEqual(expect.arrayContaining(documented.sort()));
  });

  it('a StrowgerError carries its code, details and cause', () => {
    const cause = new Error('socket closed');
    const error = new StrowgerError(ErrorCode.NotFound, 'no device named X', { cause, details: { name: 'X' } });
    expect(isStrowgerError(error, ErrorCode.NotFound)).toBe(true);
    expect(isStrowgerError(error, ErrorCode.Internal)).toBe(false);
    expect(error.details).toEqual({ name: 'X' });
    expect(error.cause).toBe(cause);
  });
});
