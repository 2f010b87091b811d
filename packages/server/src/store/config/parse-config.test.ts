import { describe, expect, it } from 'vitest';
import { ErrorCode, isStrowgerError } from '../../core/index.js';
import { maxConfigFileBytes, parseConfigFile, type ConfigProblem } from '../index.js';

function problems(text: string): ConfigProblem[] {
  try {
    parseConfigFile(text, 'site.yaml');
  } catch (error) {
    if (isStrowgerError(error, ErrorCode.ConfigInvalid)) return error.details?.problems as ConfigProblem[];
    throw error;
  }
  return [];
}

describe('parseConfigFile', () => {
  it('the contract example MUST parse', () => {
    const doc = parseConfigFile(
      `devices:
  - { name: SEP000000001001, type: sip-phone, lines: ["1001"], sip: { username: "1001", password: "pw-1001" } }
  - { name: CTIRP_IVR, type: cti-route-point, lines: ["5000"] }
  - { name: CTIPORT_1, type: cti-port, lines: ["5101"], allowCtiControl: true }
lines:
  - { dn: "1001", allowCtiControl: true, forward: { busy: { destination: "6000" }, noAnswer: { voicemail: true }, noAnswerSeconds: 12 } }
endUsers:
  - { userId: alice, password: "secret", devices: [SEP000000001001], primaryExtension: "1001", groups: ["Standard CTI Enabled"] }
applicationUsers:
  - { userId: ivr, password: "secret", devices: [CTIRP_IVR, CTIPORT_1], groups: ["Standard CTI Enabled"] }
`,
      'contract.yaml',
    );
    expect(doc.devices).toHaveLength(3);
    expect(doc.lines?.[0]?.forward?.busy).toEqual({ destination: '6000' });
  });

  it('every problem MUST be reported with file, line, column and path, and what to do', () => {
    const found = problems(`devices:
  - name: SEP1
    type: fax
  - { name: SEP2, type: sip-phone, lines: [1002], sip: { username: "1002", password: "x" }, colour: red }
`);
    expect(found.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      '3:11 devices[0].type',
      '4:44 devices[1].lines[0]',
      // The unknown key's own position, not its value's (4:101).
      '4:93 devices[1].colour',
    ]);
    expect(found[0]?.message).toContain('sip-phone, cti-route-point, cti-port');
    expect(found[1]?.message).toContain('quote it');
    expect(found[2]?.message).toContain('allowed here');
  });

  it('YAML syntax errors MUST be reported with their position', () => {
    const found = problems('devices:\n  - { name: X\n');
    expect(found[0]).toMatchObject({ file: 'site.yaml', path: '(document)' });
    expect(found[0]?.message).toMatch(/^YAML syntax/);
  });

  it('duplicates, a cti-port without exactly one line, and SIP credentials on a CTI device MUST be refused', () => {
    const found = problems(`devices:
  - { name: A, type: cti-port, lines: ["1", "2"] }
  - { name: A, type: cti-route-point, lines: ["3"], sip: { username: "3", password: "p" } }
lines:
  - { dn: "1" }
  - { dn: "1" }
`);
    const messages = found.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('devices[1].name: "A" is already defined'),
        expect.stringContaining('lines[1].dn: "1" is already defined'),
        expect.stringContaining('devices[0].lines: a cti-port has exactly one line'),
        expect.stringContaining('devices[1].sip: only a sip-phone has SIP credentials'),
      ]),
    );
  });

  it('a misspelt key in a forward target MUST get the unknown-key message with a suggestion, at the key', () => {
    const found = problems(`lines:
  - dn: "1001"
    forward:
      busy: { destinaton: "1003" }
`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 4, column: 15, path: 'lines[0].forward.busy' });
    expect(found[0]?.message).toContain('unknown key "destinaton" (did you mean "destination"?)');
    expect(found[0]?.message).not.toContain('union');
  });

  it('a forward target written as a bare word MUST say how to write it', () => {
    const found = problems(`lines:
  - { dn: "1001", forward: { busy: voicemail, noAnswer: "1003" } }
`);
    expect(found.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'lines[0].forward.busy: a forward target is { destination: "<number>" } or { voicemail: true }; write { voicemail: true }',
      'lines[0].forward.noAnswer: a forward target is { destination: "<number>" } or { voicemail: true }; write { destination: "1003" }',
    ]);
  });

  it('an unknown key MUST suggest the allowed key it is closest to, and point at the key', () => {
    const found = problems('devices:\n  - name: SEP1\n    type: sip-phone\n    lnes: ["1001"]\n');
    expect(found[0]).toMatchObject({ line: 4, column: 5, path: 'devices[0].lnes' });
    expect(found[0]?.message).toContain('did you mean "lines"?');
  });

  it('a huge value MUST be refused with a message that quotes only its start and its length', () => {
    const huge = 'x'.repeat(3_000_000);
    const found = problems(`devices:\n  - { name: SEP1, type: sip-phone, description: "${huge}" }\n`);
    const message = found.find((p) => p.path === 'devices[0].description')?.message ?? '';
    expect(message).toContain('(3000000 characters)');
    expect(message).toContain('longer than the 200 characters allowed here');
    expect(message.length).toBeLessThan(300);
  });

  it('a text larger than the limit MUST be refused before it is parsed', () => {
    expect(() => parseConfigFile(' '.repeat(maxConfigFileBytes + 1), 'big.yaml')).toThrow(
      /more than the \d+ a configuration may have; split it/,
    );
  });

  it('aliases that expand past the limit MUST be refused as a problem, not expanded', () => {
    const laughs = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(problems(laughs)[0]?.message).toContain('aliases (*name) would expand more than 100 times');
  });

  it('a document nested too deeply MUST be refused, however it is nested', () => {
    expect(problems('['.repeat(20_000) + ']'.repeat(20_000))[0]?.message).toMatch(/nested too deeply/);
    const block = Array.from({ length: 40 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n');
    expect(problems(block)[0]?.message).toMatch(/nested deeper than 16 levels/);
  });

  it('an empty file MUST be an empty configuration', () => {
    expect(parseConfigFile('', 'empty.yaml')).toEqual({});
  });
});
