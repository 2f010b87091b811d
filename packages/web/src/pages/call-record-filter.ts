import type { CallRecord } from '../api/types';

/** Records whose calling, dialled, original or final called number contains `number`, with the cause given. */
export function filterCallRecords(
  records: readonly CallRecord[],
  filter: { number: string; cause: string | null },
): CallRecord[] {
  return records.filter(
    (record) =>
      (filter.cause === null || record.cause.reason === filter.cause) &&
      (filter.number === '' ||
        [record.callingNumber, record.dialledNumber, record.originalCalledNumber, record.finalCalledNumber].some((n) =>
          n.includes(filter.number),
        )),
  );
}

/** A datetime-local input's value (the browser's time zone) as the ISO 8601 time the API takes. */
export function localInputToIso(value: string): string | undefined {
  if (value === '') return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}
