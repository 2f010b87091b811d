import { open } from 'node:fs/promises';
import { ErrorCode, StrowgerError } from '../../core/index.js';

/**
 * The largest configuration file read: 4 MiB holds about 20,000 phones with their lines. Parsing YAML
 * costs some 80 times the file's size in memory, so a 50 MB file would exhaust the heap; a larger
 * site applies its configuration in several files (apply merges by default).
 */
export const maxConfigFileBytes = 4 * 1024 * 1024;

/**
 * Reads a configuration file as text: at most `maxConfigFileBytes`, and only UTF-8 (a UTF-8 byte
 * order mark is dropped) or UTF-16 with its byte order mark, decoded as such. Any other bytes are
 * refused rather than replaced, since a replaced byte in a password would change it without a word.
 */
export async function readConfigFile(path: string, what = 'the configuration file'): Promise<string> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > maxConfigFileBytes) throw tooLarge(path, size);
      // Read one byte past the limit, in case the file grew since stat.
      const buffer = Buffer.alloc(Math.min(size, maxConfigFileBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) {
          if (length > maxConfigFileBytes) throw tooLarge(path, length);
          break;
        }
      }
      bytes = buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof StrowgerError) throw error;
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `cannot read ${what} ${path}: ${(error as Error).message}; check the file name`,
      { cause: error },
    );
  }
  return decodeConfigBytes(bytes, path);
}

function tooLarge(path: string, size: number): StrowgerError {
  return new StrowgerError(
    ErrorCode.ConfigInvalid,
    `${path} is ${megabytes(size)}, more than the ${megabytes(maxConfigFileBytes)} a configuration file may have; ` +
      'split it into several files and apply them one after another (apply merges)',
    { details: { sizeBytes: size, maxBytes: maxConfigFileBytes } },
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Decodes a configuration file's bytes; see readConfigFile for what is accepted. */
export function decodeConfigBytes(bytes: Uint8Array, fileName: string): string {
  // YAML 1.2 §5.2: a stream may be UTF-8, UTF-16 or UTF-32, told apart by its byte order mark.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), 'utf-16le', fileName);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), 'utf-16be', fileName);
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const zero = body.indexOf(0);
  if (zero !== -1) {
    const { line, column } = positionOf(body, zero);
    throw new StrowgerError(
      ErrorCode.ConfigInvalid,
      `${fileName}:${line}:${column} has a NUL byte, which YAML does not allow; ` +
        'a UTF-16 file needs its byte order mark, or save it as UTF-8',
      { details: { offset: zero, line, column } },
    );
  }
  const bad = firstInvalidUtf8(body);
  if (bad !== undefined) {
    const { line, column } = positionOf(body, bad);
    throw new StrowgerError(
      ErrorCode.ConfigInvalid,
      `${fileName}:${line}:${column} is not UTF-8 (byte 0x${body[bad]!.toString(16).padStart(2, '0')} at offset ${bad}); ` +
        'save the file as UTF-8 and apply it again (nothing was applied)',
      { details: { offset: bad, line, column } },
    );
  }
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', fileName: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.ConfigInvalid,
      `${fileName} starts with a ${encoding.toUpperCase()} byte order mark but is not valid ${encoding.toUpperCase()}; save it as UTF-8`,
      { cause: error },
    );
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629 §4). */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    if (b === 0xed) max = 0x9f;
    if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < min || c > max) return i;
      min = 0x80;
      max = 0xbf;
    }
    i += need + 1;
  }
  return undefined;
}

function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
