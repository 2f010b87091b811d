/**
 * The few host facilities media needs that every JavaScript host has, browsers and Node.js alike.
 * This package's default entry is compiled against neither's type definitions, so that nothing
 * host-specific can slip in; these declarations are the whole of what it relies on.
 */
declare const performance: { now(): number };
declare const crypto: { getRandomValues<T extends Uint32Array>(array: T): T };
declare class TextEncoder {
  encode(text: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(bytes: Uint8Array): string;
}

/** Milliseconds from an arbitrary origin that never goes backwards (wall-clock changes do not move it). */
export const monotonicNow = (): number => performance.now();

/** A random 32-bit unsigned integer (RFC 3550 §5.1 wants random SSRCs and initial sequence and timestamp). */
export function randomUint32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export const utf8Encode = (text: string): Uint8Array => encoder.encode(text);
export const utf8Decode = (bytes: Uint8Array): string => decoder.decode(bytes);

/** The part of the platform's AbortSignal this package uses; any AbortSignal is one. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
