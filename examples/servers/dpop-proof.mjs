import { createHash, randomUUID } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose'

/**
 * Client-side DPoP helpers (RFC 9449) used by the tests and by test-login.mjs.
 *
 * @typedef {{ privateKey: CryptoKey, publicKey: CryptoKey, publicJwk: import('jose').JWK,
 *   alg: string, thumbprint: string }} DpopKey
 */

/**
 * A fresh DPoP key pair (non-extractable private key), with its public JWK and thumbprint.
 *
 * @param {string} [alg] default ES256
 * @returns {Promise<DpopKey>}
 */
export async function generateDpopKey(alg = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg)
  const publicJwk = await exportJWK(publicKey)
  return {
    privateKey,
    publicKey,
    publicJwk,
    alg,
    thumbprint: await calculateJwkThumbprint(publicJwk),
  }
}

/** base64url(SHA-256(accessToken)), the `ath` claim. @param {string} accessToken */
export function accessTokenHash(accessToken) {
  return createHash('sha256').update(accessToken).digest('base64url')
}

/**
 * Builds a DPoP proof JWT. Every claim can be overridden (tests build broken proofs on purpose).
 *
 * @param {DpopKey} key
 * @param {{ htm: string, htu: string, accessToken?: string, nonce?: string, iat?: number,
 *   jti?: string, header?: Record<string, unknown>, claims?: Record<string, unknown> }} params
 */
export async function createDpopProof(key, params) {
  /** @type {Record<string, unknown>} */
  const payload = {
    htm: params.htm,
    htu: params.htu,
    jti: params.jti ?? randomUUID(),
    iat: params.iat ?? Math.floor(Date.now() / 1000),
  }
  if (params.accessToken !== undefined) payload.ath = accessTokenHash(params.accessToken)
  if (params.nonce !== undefined) payload.nonce = params.nonce
  Object.assign(payload, params.claims)
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...params.header })
    .sign(key.privateKey)
}
