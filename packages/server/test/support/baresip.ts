import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One event baresip reported over its control connection (ctrl_tcp), e.g. CALL_ESTABLISHED. */
export interface BaresipEvent {
  class: string;
  type: string;
  param?: string;
  peeruri?: string;
  id?: string;
}

export function requireBaresip(): void {
  const found = spawnSync('baresip', ['-h'], { encoding: 'utf8' });
  if (found.error !== undefined) {
    throw new Error('baresip is not installed; run "apt-get install -y baresip-core" (the CI script does)');
  }
}

/**
 * A real SIP phone: Debian's baresip, headless, with G.711 and a sine-wave source, registered as one
 * line and scripted through its JSON control socket (ctrl_tcp, netstring framed). Tests send it menu
 * commands (dial, accept, hold, resume, transfer, hangup) and wait for the events it reports.
 */
export class Baresip {
  readonly events: BaresipEvent[] = [];
  readonly #process: ChildProcess;
  readonly #socket: Socket;
  readonly #dir: string;
  readonly #output: string[] = [];
  #buffer = Buffer.alloc(0);
  #token = 0;
  readonly #pending = new Map<string, (response: { ok: boolean; data: string }) => void>();

  private constructor(process: ChildProcess, socket: Socket, dir: string, output: string[]) {
    this.#process = process;
    this.#socket = socket;
    this.#dir = dir;
    this.#output = output;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
  }

  static async start(options: { dn: string; password: string; serverPort: number }): Promise<Baresip> {
    const dir = await mkdtemp(join(tmpdir(), `strowger-baresip-${options.dn}-`));
    const controlPort = await freeTcpPort();
    await writeFile(
      join(dir, 'config'),
      [
        'poll_method epoll',
        'net_interface 127.0.0.1',
        'audio_player aufile,/dev/null',
        'audio_source ausine,440',
        // The sine source makes 48 kHz stereo only; baresip resamples to G.711's 8 kHz mono.
        'ausrc_srate 48000',
        'ausrc_channels 2',
        'auplay_srate 48000',
        'auplay_channels 2',
        'audio_alert aufile,/dev/null',
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module ausine.so',
        'module aufile.so',
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'accounts'),
      `<sip:${options.dn}@127.0.0.1:${options.serverPort}>;auth_pass=${options.password};regint=300;answermode=manual\n`,
    );
    const output: string[] = [];
    const child = spawn('baresip', ['-f', dir, '-n', '127.0.0.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const socket = await connectWithRetry(controlPort, 5000, () => output.join(''));
    return new Baresip(child, socket, dir, output);
  }

  /** Runs a menu command ("dial sip:…", "hold", "transfer 3003"); resolves with baresip's reply. */
  command(command: string, params?: string): Promise<{ ok: boolean; data: string }> {
    this.#token += 1;
    const token = String(this.#token);
    const json = JSON.stringify({ command, ...(params === undefined ? {} : { params }), token });
    const body = Buffer.from(json);
    this.#socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
    return new Promise((resolve) => this.#pending.set(token, resolve));
  }

  /** Waits for an event of a type (after `from` events already seen); fails with baresip's log if none comes. */
  async waitForEvent(type: string, timeoutMs = 5000, from = 0): Promise<BaresipEvent> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find((event) => event.type === type);
      if (found !== undefined) return found;
      if (Date.now() >= until) {
        const seen = this.events.map((event) => event.type).join(', ');
        throw new Error(`baresip never reported ${type} (saw: ${seen})\n${this.log.slice(-3000)}`);
      }
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  get log(): string {
    return this.#output.join('');
  }

  async stop(): Promise<void> {
    this.#socket.destroy();
    if (this.#process.exitCode === null) {
      const exited = new Promise((done) => this.#process.once('exit', done));
      this.#process.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 2000))]);
      if (this.#process.exitCode === null) this.#process.kill('SIGKILL');
    }
    await rm(this.#dir, { recursive: true, force: true });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.#buffer.subarray(0, colon).toString());
      if (this.#buffer.length < colon + 1 + length + 1) return;
      const json = this.#buffer.subarray(colon + 1, colon + 1 + length).toString();
      this.#buffer = this.#buffer.subarray(colon + 1 + length + 1);
      const message = JSON.parse(json) as Record<string, unknown>;
      if (message.event === true) {
        this.events.push(message as unknown as BaresipEvent);
      } else if (message.response === true && typeof message.token === 'string') {
        this.#pending.get(message.token)?.({ ok: message.ok === true, data: String(message.data ?? '') });
        this.#pending.delete(message.token);
      }
    }
  }
}

async function connectWithRetry(port: number, timeoutMs: number, log: () => string): Promise<Socket> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch {
      if (Date.now() >= until) throw new Error(`baresip's control socket never opened\n${log()}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}

/** A TCP port free now: the system picks one for a moment's listener. */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
