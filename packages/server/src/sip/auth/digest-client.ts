import { formatDigestHeader, parseDigestHeader } from './auth-header.js';
import { computeHa1, computeResponse, isDigestAlgorithm, randomHex } from './digest.js';

const unquotedInCredentials = new Set(['algorithm', 'nc', 'qop']);

/**
 * Builds the Authorization value answering one WWW-Authenticate challenge (RFC 7616 §3.4) — for our
 * own user agents, tests and benchmarks.
 */
export function answerChallenge(input: {
  challenge: string;
  method: string;
  uri: string;
  username: string;
  password: string;
  cnonce?: string;
  nc?: number;
}): string {
  const parsed = parseDigestHeader(input.challenge);
  if (parsed === undefined || parsed.scheme.toLowerCase() !== 'digest') {
    throw new Error(`not a Digest challenge: ${input.challenge}`);
  }
  const realm = parsed.params.get('realm');
  const nonce = parsed.params.get('nonce');
  if (realm === undefined || nonce === undefined) throw new Error('the challenge has no realm or nonce');
  const algorithm = parsed.params.get('algorithm') ?? 'MD5';
  if (!isDigestAlgorithm(algorithm)) throw new Error(`unsupported digest algorithm ${algorithm}`);
  const qops = (parsed.params.get('qop') ?? '').split(',').map((q) => q.trim());
  if (!qops.includes('auth')) throw new Error('the challenge does not offer qop=auth');
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = input.cnonce ?? randomHex(8);
  const ha1 = computeHa1(algorithm, input.username, realm, input.password);
  const response = computeResponse({
    algorithm,
    ha1,
    nonce,
    nc,
    cnonce,
    qop: 'auth',
    method: input.method,
    uri: input.uri,
  });
  const params: Array<[string, string]> = [
    ['username', input.username],
    ['realm', realm],
    ['nonce', nonce],
    ['uri', input.uri],
    ['response', response],
    ['algorithm', algorithm],
    ['qop', 'auth'],
    ['nc', nc],
    ['cnonce', cnonce],
  ];
  const opaque = parsed.params.get('opaque');
  if (opaque !== undefined) params.push(['opaque', opaque]);
  return formatDigestHeader(params, unquotedInCredentials);
}
