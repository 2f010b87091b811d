import { describe, expect, it } from 'vitest';
import { fillTemplate, templateProblem } from './url-template.js';
import { browserCommand } from './actions.js';

const fields = {
  calling: '+1 555 1234',
  callingName: 'Zoë O’Brien',
  called: '1001',
  user: 'screenpop',
  device: 'SEP000000001001',
  line: '1001',
  callId: 'c-01',
};

describe('URL templates', () => {
  it('fills every placeholder URL-encoded', () => {
    expect(
      fillTemplate(
        'https://crm.example/lookup?number={calling}&name={callingName}&called={called}&user={user}&d={device}',
        { ...fields, device: 'SEP 1&2' },
      ),
    ).toBe(
      'https://crm.example/lookup?number=%2B1%20555%201234&name=Zo%C3%AB%20O%E2%80%99Brien&called=1001&user=screenpop&d=SEP%201%262',
    );
  });

  it('names the unknown placeholder and the known ones', () => {
    expect(templateProblem('https://x/?n={number}')).toMatch(/\{number\}.*\{calling\}/);
    expect(templateProblem('https://x/?n={callerName}')).toMatch(/\{callerName\}.*\{callingName\}/);
    expect(templateProblem('https://x/?n={calling}&m={callingName}&d={device}&l={line}&c={callId}')).toBeUndefined();
  });
});

describe('the default browser', () => {
  it('is xdg-open on Linux, open on macOS and start on Windows', () => {
    expect(browserCommand('linux', 'https://x/?a=1&b=2')).toEqual({
      command: 'xdg-open',
      args: ['https://x/?a=1&b=2'],
    });
    expect(browserCommand('darwin', 'https://x/')).toEqual({ command: 'open', args: ['https://x/'] });
    expect(browserCommand('win32', 'https://x/?a=1&b=2')).toEqual({
      command: 'cmd',
      args: ['/c', 'start', '""', 'https://x/?a=1^&b=2'],
    });
  });
});
