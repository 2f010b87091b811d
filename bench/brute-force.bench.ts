/**
 * How fast can a SIP password be guessed? Runs SIPVicious svcrack (Debian's sipvicious) against a
 * four-digit password, then two patient guessers that honour every Retry-After for a fixed time: one
 * from a single address, one from a new address for every guess. Prints the passwords checked (403)
 * per second, counted by the server's own metrics, and whether the real phone, registered before the
 * attack, still registers during it.
 *
 *   npm run bench:brute-force            # 120 s per guesser
 *   BRUTE_FORCE_SECONDS=600 npm run bench:brute-force
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawSipPeer } from '../packages/server/test/support/raw-sip.js';
import { startBenchServer } from './bench-support.js';

const seconds = Number(process.env.BRUTE_FORCE_SECONDS ?? 120);
const config = `
settings: { sipRealm: strowger }
lines: [{ dn: '1004' }, { dn: '1005' }, { dn: '1006' }]
devices:
  - { name: SEP000000001004, type: sip-phone, lines: ['1004'], sip: { username: '1004', password: '4321' } }
  - { name: SEP000000001005, type: sip-phone, lines: ['1005'], sip: { username: '1005', password: 'pw-1005' } }
  - { name: SEP000000001006, type: sip-phone, lines: ['1006'], sip: { username: '1006', password: 'pw-1006' } }
`;

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-brute-'));
const server = await startBenchServer(workDir, config);
const port = server.addresses.sipUdp.port;
const rejected = async () => {
  const text = await server.metrics.registry.metrics();
  return Number(/strowger_sip_register_requests_total\{outcome="rejected"\} (\d+)/.exec(text)?.[1] ?? 0);
};

try {
  // svcrack, as the issue ran it.
  const before = await rejected();
  const started = Date.now();
  const output = await svcrack(['-u', '1004', '-r', '1-9999', '-z', '4', '-b', '127.0.0.66', '-x', '127.0.0.66']);
  const elapsed = (Date.now() - started) / 1000;
  const checked = (await rejected()) - before;
  console.log(
    `svcrack: ${checked} passwords checked in ${elapsed.toFixed(1)} s, ${output.includes('4321') ? 'FOUND the password' : 'password not found'}; last words: ${output.trim().split('\n').slice(-2).join(' | ')}`,
  );

  // The real phone of 1006 registers before the attack, from its own address.
  const phone = await RawSipPeer.open(port, '127.0.0.1');
  const registered = await phone.login({ method: 'REGISTER', user: '1006', password: 'pw-1006' });
  if (registered === 'no challenge' || registered.status !== 200) throw new Error('the phone did not register');

  const [single, distributed] = await Promise.all([
    patientGuesser('1005', () => '127.0.0.70'),
    patientGuesser('1006', (i) => `127.0.${1 + (i >> 8)}.${i & 255}`),
  ]);
  const again = await phone.login({ method: 'REGISTER', user: '1006', password: 'pw-1006' });
  phone.close();
  for (const [name, result] of [
    ['one address', single],
    ['a new address per guess', distributed],
  ] as const) {
    console.log(
      `patient guesser from ${name}: ${result.checked} passwords checked in ${seconds} s = ${(result.checked / seconds).toFixed(3)}/s, ${result.refused} refused with 503`,
    );
  }
  console.log(
    `the real phone of the attacked user, re-registering during the attack: ${again === 'no challenge' ? 'no answer' : again.status}`,
  );
} finally {
  await server.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** Guesses for `seconds`, waiting out every Retry-After; counts checked (403) and refused (503) guesses. */
async function patientGuesser(
  user: string,
  source: (attempt: number) => string,
): Promise<{ checked: number; refused: number }> {
  const until = Date.now() + seconds * 1000;
  let checked = 0;
  let refused = 0;
  for (let i = 0; Date.now() < until; i++) {
    const peer = await RawSipPeer.open(port, source(i));
    const answer = await peer.login({ method: 'REGISTER', user, password: `guess-${i}` });
    peer.close();
    if (answer === 'no challenge') continue;
    if (answer.status === 403) checked++;
    if (answer.status === 503) {
      refused++;
      const wait = Number(answer.getHeader('Retry-After') ?? 1) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, until - Date.now())));
    }
  }
  return { checked, refused };
}

function svcrack(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('svcrack', [...args, '-p', String(port), '127.0.0.1'], { detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, 300_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}
