import { describe, expect, it } from 'vitest';
import { ErrorCode, isStrowgerError } from '../../core/index.js';
import { parseConfigFile, type ConfigProblem } from '../index.js';

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
      '4:101 devices[1].colour',
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

  it('an empty file MUST be an empty configuration', () => {
    expect(parseConfigFile('', 'empty.yaml')).toEqual({});
  });
});
