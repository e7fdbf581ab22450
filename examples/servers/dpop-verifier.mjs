import { createHash } from 'node:crypto'
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose'

import { ReplayCache } from './replay-cache.mjs'

/** Signature algorithms accepted for DPoP proofs (advertised in the `algs` challenge parameter). */
export const DPOP_ALGS = ['ES256', 'RS256', 'PS256']

/** JWK members that only a private (or symmetric) key has. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

/**
 * A rejected DPoP request. `error` is the RFC 9449 / RFC 6750 error code for the challenge.
 */
export class DpopError extends Error {
  /**
   * @param {'invalid_dpop_proof' | 'use_dpop_nonce' | 'invalid_token'} error
   * @param {string} description
   */
  constructor(error, description) {
    super(description)
    this.error = error
  }
}

/**
 * Normalizes an `htu` value or request URL for comparison: no query, no fragment; scheme and
 * host are lower-cased and default ports dropped by the URL parser.
 *
 * @param {string} url
 */
export function normalizeHtu(url) {
  const parsed = URL.parse(url)
  if (!parsed) return undefined
  parsed.search = ''
  parsed.hash = ''
  return parsed.href
}

/**
 * Verifies DPoP proofs at a resource server (RFC 9449 §4.3 and §7).
 *
 * @param {{ maxAgeSeconds?: number, nonces?: import('./dpop-nonces.mjs').DpopNonces }} [opts]
 *   `nonces`: when given, a valid server nonce is required (it replaces the `iat` window check).
 */
export function createDpopVerifier(opts = {}) {
  const maxAge = opts.maxAgeSeconds ?? 60
  const { nonces } = opts
  const replay = new ReplayCache()

  /**
   * @param {{ proof: string | string[] | undefined, method: string, url: string,
   *   accessToken: string, jkt: unknown }} request `url`: the request URL as the client sees it
   * @returns {Promise<{ jti: string, thumbprint: string }>}
   */
  return async function verifyDpopProof({ proof, method, url, accessToken, jkt }) {
    if (typeof proof !== 'string' || !proof || proof.includes(',')) {
      throw new DpopError('invalid_dpop_proof', 'exactly one DPoP proof header is required')
    }

    let header
    try {
      header = decodeProtectedHeader(proof)
    } catch {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof is not a JWS')
    }
    const jwk = header.jwk
    if (!jwk || typeof jwk !== 'object' || PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof jwk header must be a public key')
    }

    let payload
    try {
      ;({ payload } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: DPOP_ALGS,
      }))
    } catch (err) {
      throw new DpopError(
        'invalid_dpop_proof',
        `invalid DPoP proof: ${/** @type {Error} */ (err).message}`,
      )
    }

    const { htm, htu, iat, jti, ath, nonce } = payload
    if (typeof jti !== 'string' || !jti) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof must have a jti')
    }
    if (typeof iat !== 'number') {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof must have a numeric iat')
    }
    if (htm !== method) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof htm mismatch')
    }
    if (typeof htu !== 'string' || normalizeHtu(htu) !== normalizeHtu(url)) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof htu mismatch')
    }
    const expectedAth = createHash('sha256').update(accessToken).digest('base64url')
    if (ath !== expectedAth) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof ath mismatch')
    }

    const now = Math.floor(Date.now() / 1000)
    if (nonces) {
      if (nonce === undefined) {
        throw new DpopError('use_dpop_nonce', 'Resource server requires nonce in DPoP proof')
      }
      if (!nonces.isValid(nonce)) {
        throw new DpopError('use_dpop_nonce', 'DPoP proof nonce is invalid or expired')
      }
    } else if (Math.abs(now - iat) > maxAge) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof iat is not recent enough')
    }

    const thumbprint = await calculateJwkThumbprint(/** @type {import('jose').JWK} */ (jwk))
    if (typeof jkt !== 'string' || thumbprint !== jkt) {
      throw new DpopError('invalid_token', 'Invalid DPoP key binding')
    }

    const keepMs = Math.max(maxAge * 2 * 1000, nonces?.maxLifetimeMs ?? 0)
    if (!replay.add(`${thumbprint}:${jti}`, Date.now() + keepMs)) {
      throw new DpopError('invalid_dpop_proof', 'DPoP proof jti was already used')
    }
    return { jti, thumbprint }
  }
}
