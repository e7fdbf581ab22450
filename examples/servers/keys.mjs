import { randomBytes, randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair } from 'jose'

/**
 * @param {string} alg
 * @param {Parameters<typeof generateKeyPair>[1]} [options]
 */
async function signingJwk(alg, options = {}) {
  const { privateKey } = await generateKeyPair(alg, { ...options, extractable: true })
  const jwk = await exportJWK(privateKey)
  return { ...jwk, kid: `${alg.toLowerCase()}-${randomUUID()}`, alg, use: 'sig' }
}

/**
 * Fresh signing keys for the authorization server: an RSA key (RS256, the ID token default) and
 * an EC P-256 key (ES256, used for the JWT access tokens). Generated on every start, never stored.
 */
export async function generateSigningJwks() {
  const [rsa, ec] = await Promise.all([
    signingJwk('RS256', { modulusLength: 2048 }),
    signingJwk('ES256'),
  ])
  return { keys: [rsa, ec] }
}

/** Random keys for oidc-provider's signed cookies. */
export function randomCookieKeys() {
  return [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')]
}
