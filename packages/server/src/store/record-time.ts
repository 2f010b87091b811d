import { ErrorCode, StrowgerError } from '../core/index.js';

// RFC 3339 §5.6: a full date, or a date-time with its offset. Four-digit years only, so a time the
// database cannot store (year 0 or before, past 9999) is refused here instead of failing the query.
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * A time bound for call records (`since`, `until`), as people write them: `2026-11-24` (midnight
 * UTC) or `2026-11-24T08:00:00Z` / `…+01:00`. Anything else, including impossible dates such as
 * 2026-02-30, is an INVALID_ARGUMENT that names the field.
 */
export function parseRecordTime(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const match = rfc3339.exec(text);
  const time = match === null ? undefined : new Date(match[4] === undefined ? `${text}T00:00:00Z` : text);
  const valid =
    match !== null &&
    time !== undefined &&
    !Number.isNaN(time.getTime()) &&
    Number(match[1]) >= 1 &&
    // Date rolls 2026-02-30 over to March; the day must survive the round trip (offsets cannot move it
    // by more than a day, so compare the calendar date of the text itself).
    sameDate(Number(match[1]), Number(match[2]), Number(match[3])) &&
    (match[4] === undefined || (Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) < 60));
  if (!valid) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `${name} "${shown}" is not an ISO 8601 time; give a date such as 2026-11-24 or a time with its offset such as 2026-11-24T08:00:00Z (years 0001-9999)`,
      { details: { field: name } },
    );
  }
  return time;
}

function sameDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
