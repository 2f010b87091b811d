import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const minimal = `
cti: { servers: ["ws://pbx:2748"], user: ivr }
admin: { url: "http://pbx:8080", user: ivr-reader }
dataDirectory: /var/lib/strowger-ivr
routePoints:
  - { name: CTIRP_VM, number: "5000", application: voicemail }
ports:
  - { name: CTIPORT_1, dn: "5101" }
voicemail: { pilot: "5000", initialPin: "24680" }
`;

describe('IVR configuration', () => {
  it('fills in the defaults', () => {
    const config = parseConfig(minimal, 'ivr.yaml');
    expect(config.voicemail).toMatchObject({
      maxMessageSeconds: 120,
      silenceSeconds: 3,
      pinAttempts: 3,
      lockoutAfter: 5,
    });
    expect(config.queue).toEqual({ maxWaitSeconds: 60, arrivalSeconds: 10, logSeconds: 10 });
    expect(config.media).toEqual({ address: '127.0.0.1' });
    expect(config.admin.refreshMinutes).toBe(15);
    expect(config.menus).toEqual({});
  });

  it('names the key, line and column of each problem', () => {
    const text = minimal.replace('initialPin: "24680"', 'initialPin: 12').replace('dn: "5101"', 'dn: 5101');
    expect(() => parseConfig(text, 'ivr.yaml')).toThrowError(
      /ivr\.yaml:8:\d+ ports\[0\]\.dn: .*write it in quotes: "5101"\n.*ivr\.yaml:9:\d+ voicemail\.initialPin: /,
    );
  });

  it('refuses a menu, an auto-attendant or an operator that is referred to but not defined', () => {
    const text = `${minimal}
autoAttendants:
  main: { menu: main, afterHoursMenu: closed, businessHours: { timeZone: Mars/Olympus, weekly: {} } }
menus:
  main:
    greeting: { text: "Hello" }
    options: { "1": { menu: sales }, "0": { operator: true } }
`.replace('application: voicemail', 'application: { autoAttendant: front }');
    let message = '';
    try {
      parseConfig(text, 'ivr.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/menus\.main\.options\.1: menu "sales" is not defined/);
    expect(message).toMatch(/menus\.main\.options\.0: operator is chosen but no operator number is set/);
    expect(message).toMatch(/autoAttendants\.main\.afterHoursMenu: menu "closed" is not defined/);
    expect(message).toMatch(/autoAttendants\.main\.businessHours\.timeZone: "Mars\/Olympus" is not a time zone/);
    expect(message).toMatch(/routePoints\[0\]\.application\.autoAttendant: auto-attendant "front" is not defined/);
  });

  it('refuses a YAML syntax error with its position', () => {
    expect(() => parseConfig('cti: [', 'ivr.yaml')).toThrowError(/ivr\.yaml:1:\d+ \(document\): YAML syntax/);
  });

  it('accepts the example configuration', async () => {
    const example = await readFile(new URL('../ivr.example.yaml', import.meta.url), 'utf8');
    const config = parseConfig(example, 'ivr.example.yaml');
    expect(config.routePoints.length).toBeGreaterThan(0);
  });
});
