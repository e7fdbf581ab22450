import { createRemoteJWKSet, jwtVerify } from 'jose'

/** Asymmetric JWS algorithms accepted for access tokens ("none" and HMAC are never accepted). */
const ACCESS_TOKEN_ALGS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
]

/**
 * Validates JWT access tokens (RFC 9068) issued by `issuer` for `audience`, with the issuer's
 * keys found through its discovery document (looked up on first use, then cached; a failed
 * look-up is retried on the next request).
 *
 * @param {{ issuer: string, audience: string, clockToleranceSeconds?: number }} opts
 */
export function createAccessTokenVerifier({ issuer, audience, clockToleranceSeconds = 5 }) {
  /** @type {Promise<ReturnType<typeof createRemoteJWKSet>> | undefined} */
  let jwksPromise

  async function loadJwks() {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`)
    if (!res.ok) throw new Error(`discovery failed with HTTP ${res.status}`)
    const metadata = /** @type {{ issuer?: string, jwks_uri?: string }} */ (await res.json())
    if (metadata.issuer !== issuer) throw new Error('discovery issuer mismatch')
    if (typeof metadata.jwks_uri !== 'string') throw new Error('discovery has no jwks_uri')
    return createRemoteJWKSet(new URL(metadata.jwks_uri))
  }

  function jwks() {
    jwksPromise ??= loadJwks().catch((err) => {
      jwksPromise = undefined
      throw err
    })
    return jwksPromise
  }

  /**
   * @param {string} token
   * @returns {Promise<import('jose').JWTPayload>} the verified claims
   */
  return async function verifyAccessToken(token) {
    const keySet = await jwks()
    const { payload } = await jwtVerify(token, keySet, {
      issuer,
      audience,
      algorithms: ACCESS_TOKEN_ALGS,
      typ: 'at+jwt',
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['exp', 'sub', 'client_id'],
    })
    return payload
  }
}
