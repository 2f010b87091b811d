/**
 * One consistent session as a phone sees it. A back-to-back user agent passes each phone the other
 * party's session descriptions; after a transfer the other party is someone else, whose origin line
 * ("o=", RFC 4566 §5.2) differs. RFC 3264 §8 asks that a session keep its origin's username,
 * session id and address and raise its version on each change, and strict phones refuse anything
 * else. So each leg keeps the origin it first presented and rewrites later descriptions to it.
 */
export class SessionOrigin {
  /** "username sess-id" and "nettype addrtype address" of the first description presented. */
  #identity: { head: string; tail: string } | undefined;
  #version = 0n;
  #lastPresented: string | undefined;

  /** The description to send to this leg's phone: `sdp` under the leg's own origin. */
  present(sdp: string): string {
    const origin = readOrigin(sdp);
    if (origin === undefined) return sdp;
    if (this.#identity === undefined) {
      this.#identity = { head: origin.head, tail: origin.tail };
      this.#version = origin.version;
      this.#lastPresented = sdp;
      return sdp;
    }
    // The same description again keeps its version (RFC 3264 §8: unchanged means the same version).
    if (sdp !== this.#lastPresented) this.#version += 1n;
    this.#lastPresented = sdp;
    return sdp.replace(originLine, `o=${this.#identity.head} ${this.#version} ${this.#identity.tail}`);
  }
}

const originLine = /^o=[^\r\n]*/m;

/** The origin line split where the version sits; undefined when the description has none readable. */
function readOrigin(sdp: string): { head: string; version: bigint; tail: string } | undefined {
  const line = originLine.exec(sdp)?.[0];
  if (line === undefined) return undefined;
  const fields = line.slice(2).split(' ');
  if (fields.length !== 6 || !/^\d+$/.test(fields[2] ?? '')) return undefined;
  return {
    head: `${fields[0]} ${fields[1]}`,
    version: BigInt(fields[2] ?? '0'),
    tail: `${fields[3]} ${fields[4]} ${fields[5]}`,
  };
}
