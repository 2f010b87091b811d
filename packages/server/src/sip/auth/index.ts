export {
  DigestAuthenticator,
  type AuthResult,
  type AuthFailureReason,
  type DigestAuthenticatorOptions,
  type VerifyInput,
} from './digest-authenticator.js';
export { answerChallenge } from './digest-client.js';
export { computeHa1, computeResponse, digestHash, isDigestAlgorithm, type DigestAlgorithm } from './digest.js';
export { parseDigestHeader, splitChallenges, type DigestParams } from './auth-header.js';
