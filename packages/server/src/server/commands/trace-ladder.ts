import type { SipTraceItem } from '../../admin/index.js';

/** Characters between two parties' lifelines. */
const defaultGap = 28;
/** The relative time before each arrow: "  12.345s ". */
const timeWidth = 10;
const serverName = 'Strowger';

interface Party {
  key: string;
  name: string;
  address: string;
}

/**
 * A SIP ladder for the terminal, as sngrep draws one: a column per party (the phones by device name,
 * Strowger in between), an arrow per message from sender to receiver with its request or status
 * line, and the time since the first message. Parties are added as they appear (the header is
 * printed again when one is). With `full`, each arrow is followed by the whole message.
 */
export class LadderRenderer {
  readonly #gap: number;
  readonly #full: boolean;
  readonly #parties: Party[] = [];
  #serverAddress: string | undefined;
  #start: number | undefined;

  constructor(options: { full?: boolean; gap?: number } = {}) {
    this.#full = options.full === true;
    this.#gap = Math.max(16, options.gap ?? defaultGap);
  }

  /** The lines to print for one message (a header first when it brings a new party). */
  render(item: SipTraceItem): string[] {
    const lines: string[] = [];
    const at = Date.parse(item.at);
    this.#start ??= at;
    this.#serverAddress ??= item.local;
    const added = this.#place(item);
    if (added) lines.push(...this.#header());
    const remote = this.#columnOf(item.remote);
    const server = this.#columnOf(serverName);
    const [from, to] = item.direction === 'received' ? [remote, server] : [server, remote];
    const time = `${((at - this.#start) / 1000).toFixed(3)}s`.padStart(timeWidth - 1);
    lines.push(`${time} ${this.#arrow(from, to, arrowLabel(item))}`.trimEnd());
    if (this.#full) {
      const indent = ' '.repeat(timeWidth);
      const where = `${item.transport} ${item.direction === 'received' ? `${item.remote} → ${item.local}` : `${item.local} → ${item.remote}`}`;
      lines.push(`${indent}${where}`);
      for (const line of item.message.replace(/(\r?\n)+$/, '').split(/\r?\n/)) lines.push(`${indent}${line}`.trimEnd());
      lines.push('');
    }
    return lines;
  }

  /** Adds the message's parties in the order they appear: the first phone, Strowger, then the others. */
  #place(item: SipTraceItem): boolean {
    let added = false;
    const existing = this.#parties.find((party) => party.key === item.remote);
    if (existing === undefined) {
      this.#parties.push({ key: item.remote, name: item.device ?? item.remote, address: item.remote });
      added = true;
    } else if (existing.name === existing.address && item.device !== undefined) {
      existing.name = item.device;
      added = true;
    }
    if (!this.#parties.some((party) => party.key === serverName)) {
      this.#parties.splice(1, 0, { key: serverName, name: serverName, address: this.#serverAddress ?? '' });
      added = true;
    }
    return added;
  }

  #columnOf(key: string): number {
    return this.#parties.findIndex((party) => party.key === key);
  }

  #header(): string[] {
    const names = this.#parties.map((party) => party.name);
    const addresses = this.#parties.map((party) => (party.name === party.address ? '' : party.address));
    return [this.#centred(names), this.#centred(addresses), this.#lifelines().trimEnd()].filter((line) => line !== '');
  }

  /** Texts centred on each party's lifeline. */
  #centred(texts: readonly string[]): string {
    const line = [...' '.repeat(this.#width())];
    texts.forEach((text, column) => {
      const shown = shorten(text, this.#gap - 2);
      const start = Math.max(0, this.#x(column) - Math.floor(shown.length / 2));
      [...shown].forEach((char, i) => (line[start + i] = char));
    });
    return line.join('').trimEnd();
  }

  #lifelines(): string {
    const line = [...' '.repeat(this.#width())];
    this.#parties.forEach((_, column) => (line[this.#x(column)] = '│'));
    return line.join('');
  }

  #arrow(from: number, to: number, label: string): string {
    const line = [...this.#lifelines()].slice(timeWidth);
    const [left, right] = [Math.min(from, to), Math.max(from, to)].map((column) => this.#x(column) - timeWidth) as [
      number,
      number,
    ];
    for (let x = left + 1; x < right; x++) line[x] = '─';
    if (from < to) line[right - 1] = '▶';
    else line[left + 1] = '◀';
    const room = right - left - 5;
    const text = ` ${shorten(label, room)} `;
    const start = left + 1 + Math.max(1, Math.floor((right - left - 1 - text.length) / 2));
    [...text].forEach((char, i) => (line[start + i] = char));
    return line.join('');
  }

  #x(column: number): number {
    return timeWidth + Math.floor(this.#gap / 2) + column * this.#gap;
  }

  #width(): number {
    return this.#x(this.#parties.length - 1) + Math.floor(this.#gap / 2);
  }
}

/**
 * What an arrow says: the method and the number it is for ("INVITE 1002"), or the status code and
 * reason ("180 Ringing"); "(SDP)" when it carries a session description. --full shows the rest.
 */
export function arrowLabel(item: Pick<SipTraceItem, 'summary' | 'message'>): string {
  const summary = item.summary.startsWith('SIP/2.0 ')
    ? item.summary.slice('SIP/2.0 '.length)
    : requestLabel(item.summary);
  return /^content-type:\s*application\/sdp/im.test(item.message) ? `${summary} (SDP)` : summary;
}

function requestLabel(requestLine: string): string {
  const [method = requestLine, uri = ''] = requestLine.split(' ');
  const user = /^sips?:([^@;]+)@/.exec(uri)?.[1];
  return user === undefined ? method : `${method} ${user}`;
}

function shorten(text: string, room: number): string {
  if (text.length <= room) return text;
  return room <= 1 ? '…'.slice(0, room) : `${text.slice(0, room - 1)}…`;
}
