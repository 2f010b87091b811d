// Checks made as the administrator types, with the server's own limits (the configuration file's
// schema, docs/configuration.md), so most mistakes show before anything is sent. The server checks
// again and its answer is shown at the field as well.

type Check = (value: string) => string | null;

const pattern =
  (regex: RegExp, what: string): Check =>
  (value) =>
    value === '' || regex.test(value) ? null : what;

export const required =
  (check: Check = () => null): Check =>
  (value) =>
    value.trim() === '' ? 'Required' : check(value);

export const deviceName = pattern(
  /^[A-Za-z0-9_.-]{1,50}$/,
  'Letters, digits, "_", "-" and "." only, at most 50 characters (e.g. SEP001122334455, CTIRP_SALES)',
);

export const directoryNumber = pattern(
  /^(?=.{1,32}$)(?:[0-9*#+X]|\[(?:[0-9](?:-[0-9])?)+\])*!?$/,
  'Digits, *, #, + or X (a pattern may use [1-3] and a trailing !), at most 32 characters',
);

export const userId = pattern(/^[A-Za-z0-9_.@-]{1,64}$/, 'Letters, digits, "_", ".", "@" and "-", at most 64');

export const objectName = pattern(
  /^[A-Za-z0-9_. -]{1,50}$/,
  'Letters, digits, space, "_", "-" and "." only, at most 50 characters',
);

export const pin = pattern(/^[0-9]{4,20}$/, '4 to 20 digits');

export const maxLength =
  (limit: number): Check =>
  (value) =>
    value.length <= limit ? null : `At most ${limit} characters`;

export const integerBetween =
  (min: number, max: number): Check =>
  (value) => {
    if (value === '') return null;
    const n = Number(value);
    return Number.isInteger(n) && n >= min && n <= max ? null : `A whole number from ${min} to ${max}`;
  };
