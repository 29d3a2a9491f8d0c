/**
 * `@syncline/tokens`: the one token policy. The API's bearer checks (`@syncline/server`) and the sync
 * server (`@syncline/sync-server`) both verify JWTs with {@link verifyToken}, so a token gets the same
 * verdict and the same error code from both.
 */
export {
  createJwksKeySource,
  createLoadedKeySource,
  type JwksKeySourceOptions,
  type KeySource,
  keyError,
  type LoadedKeySourceOptions,
  type VerificationKey,
} from './keys/index.js';
export {
  DEFAULT_ALGORITHMS,
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_LIFETIME_SECONDS,
  resolvePolicy,
  type TokenPolicy,
  type TokenPolicyOptions,
} from './policy/index.js';
export {
  inspectToken,
  readTokenHeader,
  tokenError,
  type VerifiedToken,
  verifyToken,
} from './verify/index.js';
