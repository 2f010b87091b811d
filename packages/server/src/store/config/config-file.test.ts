import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, isStrowgerError } from '../../core/index.js';
import { decodeConfigBytes, firstInvalidUtf8, maxConfigFileBytes, readConfigFile } from './config-file.js';

const dir = mkdtempSync(join(tmpdir(), 'strowger-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yaml = 'devices:\n  - { name: SEP1, type: sip-phone, sip: { username: "1001", password: "pässwörd" } }\n';

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isStrowgerError(error, ErrorCode.ConfigInvalid)) return error.message;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('reading a configuration file', () => {
  it('UTF-8, with or without a byte order mark, MUST decode as written', () => {
    const bytes = Buffer.from(yaml, 'utf8');
    expect(decodeConfigBytes(bytes, 'a.yaml')).toBe(yaml);
    expect(decodeConfigBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), 'a.yaml')).toBe(yaml);
  });

  it('UTF-16 with its byte order mark MUST decode to the same text, little- and big-endian', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]);
    expect(decodeConfigBytes(le, 'le.yaml')).toBe(yaml);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeConfigBytes(be, 'be.yaml')).toBe(yaml);
  });

  it('a file that is not UTF-8 MUST be refused with the position of the first bad byte, not applied with it replaced', () => {
    // "pässwörd" in Latin-1: the ä is the single byte 0xE4.
    const latin1 = Buffer.from(yaml, 'latin1');
    const message = configError(() => decodeConfigBytes(latin1, 'latin1.yaml'));
    expect(message).toMatch(/^latin1\.yaml:2:73 is not UTF-8 \(byte 0xe4 at offset 81\); save the file as UTF-8/);
  });

  it('UTF-16 without a byte order mark MUST be refused, naming the fix', () => {
    expect(configError(() => decodeConfigBytes(Buffer.from(yaml, 'utf16le'), 'u16.yaml'))).toContain(
      'a UTF-16 file needs its byte order mark, or save it as UTF-8',
    );
  });

  it('the UTF-8 check MUST refuse overlong forms, surrogates and truncated sequences, and pass every valid one', () => {
    expect(firstInvalidUtf8(Buffer.from('a€𝄞ü', 'utf8'))).toBeUndefined();
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x42, 0xe2, 0x82]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
  });

  it('a file larger than the limit MUST be refused before it is read, and say what to do', async () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, '');
    truncateSync(path, 50 * 1024 * 1024);
    await expect(readConfigFile(path)).rejects.toThrow(
      /huge\.yaml is 50\.0 MiB, more than the 4\.0 MiB a configuration file may have; split it/,
    );
    expect(maxConfigFileBytes).toBe(4 * 1024 * 1024);
  });

  it('a missing file MUST say which and what to check', async () => {
    await expect(readConfigFile(join(dir, 'nope.yaml'))).rejects.toThrow(
      /cannot read the configuration file .*nope\.yaml: .*check the file name/,
    );
  });
});
