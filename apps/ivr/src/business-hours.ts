import type { AutoAttendantConfig, BusinessHours } from './config-schema.js';

type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** The local date, weekday and minute of the day of an instant in a time zone. */
export function localTime(at: number, timeZone?: string): { date: string; weekday: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    ...(timeZone === undefined ? {} : { timeZone }),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    weekday,
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the business is open at an instant: a holiday is closed all day; otherwise the weekday's ranges. */
export function openAt(hours: BusinessHours, at: number): 'open' | 'closed' | 'holiday' {
  const { date, weekday, minute } = localTime(at, hours.timeZone);
  if (hours.holidays.includes(date)) return 'holiday';
  const ranges = hours.weekly[weekday] ?? [];
  const open = ranges.some((range) => {
    const [from = '', to = ''] = range.split('-');
    return minute >= minutes(from) && minute < minutes(to);
  });
  return open ? 'open' : 'closed';
}

/** The menu an auto-attendant offers at an instant. */
export function menuAt(attendant: AutoAttendantConfig, at: number): string {
  if (attendant.businessHours === undefined) return attendant.menu;
  const state = openAt(attendant.businessHours, at);
  if (state === 'open') return attendant.menu;
  if (state === 'holiday') return attendant.holidayMenu ?? attendant.afterHoursMenu ?? attendant.menu;
  return attendant.afterHoursMenu ?? attendant.menu;
}
