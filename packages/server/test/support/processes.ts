import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A command run as a person would run it, in its own process group so that its whole tree can be ended. */
export interface RunningCommand {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the command exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) once the command has exited. */
  exited: Promise<number | string>;
}

/** The environment without npm's own variables, as in a person's shell (npm sets them for `npm test`). */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return { ...env, ...extra };
}

export function runCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? plainEnv(), detached: true });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const running: RunningCommand = {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match !== null) {
            finish();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms; output:\n${text}`));
        }, timeoutMs);
        const onExit = () => {
          finish();
          reject(new Error(`${command} ${args.join(' ')} exited before ${String(pattern)}; output:\n${text}`));
        };
        const finish = () => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        child.once('exit', onExit);
        check();
      }),
  };
  return running;
}

/** Every process below `pid` (children, grandchildren…), from ps. */
export function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of table) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `condition` holds, up to `timeoutMs`; returns whether it did. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a TCP port on 127.0.0.1 can be bound again (its listener is gone). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Cleanup for a test: SIGKILL the command's whole tree (its group and any descendant that left it). */
export function killTree(running: RunningCommand, knownPids: number[] = []): void {
  const pid = running.child.pid;
  if (pid === undefined) return;
  for (const each of [...descendants(pid), ...knownPids]) {
    try {
      process.kill(each, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}
