import { describe, expect, it } from 'vitest';
import { menuAt, openAt } from './business-hours.js';

const hours = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: ['08:00-12:00', '13:00-17:30'], sat: ['09:00-12:00'] },
  holidays: ['2026-12-25'],
};

describe('business hours', () => {
  it("is open in the day's ranges, in the configured time zone", () => {
    // Monday 2026-11-30: 09:00 in Berlin is 08:00 UTC.
    expect(openAt(hours, Date.UTC(2026, 10, 30, 8, 0))).toBe('open');
    expect(openAt(hours, Date.UTC(2026, 10, 30, 6, 59))).toBe('closed');
    expect(openAt(hours, Date.UTC(2026, 10, 30, 11, 30))).toBe('closed'); // 12:30, the lunch break
    expect(openAt(hours, Date.UTC(2026, 10, 30, 16, 29))).toBe('open'); // 17:29
    expect(openAt(hours, Date.UTC(2026, 10, 30, 16, 30))).toBe('closed'); // 17:30
    expect(openAt(hours, Date.UTC(2026, 11, 1, 9, 0))).toBe('closed'); // Tuesday: no ranges
  });

  it('is closed all day on a holiday', () => {
    expect(openAt(hours, Date.UTC(2026, 11, 25, 9, 0))).toBe('holiday');
  });

  it('chooses the menu, holiday falling back to after hours', () => {
    const attendant = { menu: 'main', afterHoursMenu: 'closed', businessHours: hours };
    expect(menuAt(attendant, Date.UTC(2026, 10, 30, 8, 0))).toBe('main');
    expect(menuAt(attendant, Date.UTC(2026, 10, 30, 20, 0))).toBe('closed');
    expect(menuAt({ ...attendant, holidayMenu: 'xmas' }, Date.UTC(2026, 11, 25, 9, 0))).toBe('xmas');
    expect(menuAt(attendant, Date.UTC(2026, 11, 25, 9, 0))).toBe('closed');
    expect(menuAt({ menu: 'main' }, Date.UTC(2026, 11, 25, 9, 0))).toBe('main');
  });
});
