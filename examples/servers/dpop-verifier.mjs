import { decodeJwt, decodeProtectedHeader } from 'jose'

import { ReplayCache } from './replay-cache.mjs'

/**
 * The DPoP checks at the resource server that no library makes (RFC 9449 §4.3 steps 9–10, §9, §11.1):
 * which algorithms this API accepts, the server nonce, and `jti` replay. The proof itself — `typ`,
 * signature by its `jwk`, `htm`, `htu`, `ath`, `iat`, `cnf.jkt` — is validated by oauth4webapi
 * (see access-token-verifier.mjs) before {@link createDpopPolicy}'s check runs.
 */

/** Signature algorithms accepted for DPoP proofs (advertised in the `algs` challenge parameter). */
export const DPOP_ALGS = ['ES256', 'RS256', 'PS256']

/** oauth4webapi accepts proofs up to 300 s from now; a `jti` is remembered for longer than that. */
const PROOF_WINDOW_MS = 300_000

/** JWK members that only a private (or symmetric) key has. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

/**
 * A rejected DPoP request. `error` is the RFC 9449 / RFC 6750 error code for the challenge.
 */
export class DpopError extends Error {
  /**
   * @param {'invalid_dpop_proof' | 'use_dpop_nonce'} error
   * @param {string} description
   */
  constructor(error, description) {
    super(description)
    this.error = error
  }
}

/**
 * This API's policy for the proof header, checked before validation: exactly one proof, signed with
 * one of {@link DPOP_ALGS} (oauth4webapi's `signingAlgorithms` covers the token and the proof
 * together), and a public key — a private `jwk` is a client bug worth naming, not a key mismatch.
 *
 * @param {string | string[] | undefined} proof the `DPoP` request header
 * @throws {DpopError}
 */
export function checkProofHeader(proof) {
  if (proof === undefined) return // oauth4webapi names the missing proof
  if (typeof proof !== 'string' || !proof || proof.includes(',')) {
    throw new DpopError('invalid_dpop_proof', 'exactly one DPoP proof header is required')
  }
  let header
  try {
    header = decodeProtectedHeader(proof)
  } catch {
    throw new DpopError('invalid_dpop_proof', 'DPoP proof is not a JWS')
  }
  if (typeof header.alg !== 'string' || !DPOP_ALGS.includes(header.alg)) {
    throw new DpopError(
      'invalid_dpop_proof',
      `DPoP proof alg must be one of ${DPOP_ALGS.join(', ')}`,
    )
  }
  const jwk = header.jwk
  if (!jwk || typeof jwk !== 'object' || PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) {
    throw new DpopError('invalid_dpop_proof', 'DPoP proof jwk header must be a public key')
  }
}

/**
 * Server nonces and replay detection for proofs that oauth4webapi has already validated.
 *
 * @param {{ nonces?: import('./dpop-nonces.mjs').DpopNonces }} [opts] `nonces`: when given, every
 *   proof must carry a current server nonce
 */
export function createDpopPolicy(opts = {}) {
  const { nonces } = opts
  const replay = new ReplayCache()
  // A proof is acceptable for the window either side of now, and (with nonces) while its nonce is.
  const keepMs = Math.max(2 * PROOF_WINDOW_MS + 60_000, nonces?.maxLifetimeMs ?? 0)

  /**
   * @param {string} proof a proof oauth4webapi has validated for this request
   * @param {string} jkt the access token's `cnf.jkt` (= the proof key's thumbprint, checked)
   * @throws {DpopError}
   */
  return function checkValidatedProof(proof, jkt) {
    const { jti, nonce } = decodeJwt(proof)
    if (nonces) {
      if (nonce === undefined) {
        throw new DpopError('use_dpop_nonce', 'Resource server requires nonce in DPoP proof')
      }
      if (!nonces.isValid(nonce)) {
        throw new DpopError('use_dpop_nonce', 'DPoP proof nonce is invalid or expired')
      }
    }
    // oauth4webapi has checked that jti is a string; the cache is per key so clients cannot collide.
    if (!replay.add(`${jkt}:${String(jti)}`, Date.now() + keepMs)) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof jti was already used')
    }
  }
}
