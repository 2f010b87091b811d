import { ErrorCode, StrowgerError } from '@strowger/core';
import { describe, expect, it } from 'vitest';
import {
  ConnectionLostError,
  CtiError,
  InternalError,
  LineRestrictedError,
  RequestTimeoutError,
  ResourceUnavailableError,
  errorClasses,
  errorFromWire,
} from './errors.js';

/** Codes that never travel over CTI: configuration files and the SIP stack's own. */
const serverOnly = new Set<string>([
  ErrorCode.ConfigInvalid,
  ErrorCode.SipParseError,
  ErrorCode.SipTimeout,
  ErrorCode.SipTransportError,
]);

describe('SDK errors', () => {
  it('every error code that can travel over CTI MUST have its own class, named after it', () => {
    for (const code of Object.values(ErrorCode)) {
      if (serverOnly.has(code)) continue;
      const Class = errorClasses[code];
      expect(Class, code).toBeDefined();
      const error = new Class!('x');
      expect(error.code).toBe(code);
      expect(error).toBeInstanceOf(CtiError);
      expect(error).toBeInstanceOf(StrowgerError);
      const pascal = code.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
      expect(error.name).toBe(`${pascal}Error`);
    }
  });

  it('a wire error becomes its class with details, the Cisco name and the method', () => {
    const error = errorFromWire(
      { code: 'LINE_RESTRICTED', message: 'line 1009 is restricted', details: { cisco: 'CTIERR_LINE_RESTRICTED' } },
      'observer.add',
    );
    expect(error).toBeInstanceOf(LineRestrictedError);
    expect(error.cisco).toBe('CTIERR_LINE_RESTRICTED');
    expect(error.details).toMatchObject({ method: 'observer.add' });
  });

  it('an unknown code is treated as INTERNAL and keeps the code in details', () => {
    const error = errorFromWire({ code: 'FROM_THE_FUTURE', message: 'new' });
    expect(error).toBeInstanceOf(InternalError);
    expect(error.details).toMatchObject({ code: 'FROM_THE_FUTURE' });
  });

  it('timeouts and lost connections are RESOURCE_UNAVAILABLE, told apart by their class', () => {
    for (const error of [new RequestTimeoutError('t'), new ConnectionLostError('c')]) {
      expect(error).toBeInstanceOf(ResourceUnavailableError);
      expect(error.code).toBe('RESOURCE_UNAVAILABLE');
    }
    expect(new RequestTimeoutError('t')).not.toBeInstanceOf(ConnectionLostError);
  });
});
