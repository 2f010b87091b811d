import { InvalidArgumentError } from 'commander';

/** Parses a TCP/UDP port argument; 0 asks the system for a free port. */
export function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65_535) {
    throw new InvalidArgumentError(
      `${flag} must be a port number from 0 to 65535 (0 picks a free port); got "${value}"`,
    );
  }
  return port;
}

export function portOption(flag: string): (value: string) => number {
  return (value) => parsePort(value, flag);
}

/** Parses a count or a number of seconds: a whole number from 1 up. */
export function parsePositiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError(`${flag} must be a whole number of at least 1; got "${value}"`);
  }
  return number;
}

export function positiveIntegerOption(flag: string): (value: string) => number {
  return (value) => parsePositiveInteger(value, flag);
}

/** Reads a default from the environment, so containers can configure Strowger without flags. */
export function envDefault(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function envPort(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  return parsePort(value, name);
}
