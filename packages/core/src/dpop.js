import * as oauth from 'oauth4webapi'
import { DPoPError } from './errors.js'
const KEY = 'dpop'
const ALGS = ['ES256', 'PS256', 'RS256']
const isKeyPair = (x) =>
  !!x && x.privateKey instanceof CryptoKey && x.publicKey instanceof CryptoKey
/**
 * Sender-constrained tokens (RFC 9449): pass this function as the `dpop` option.
 * The DPoP key of this client: a WebCrypto key pair whose private key is not extractable, kept
 * in the store (CryptoKeys survive structured cloning) so a reload keeps tokens usable.
 * Passed in rather than built in, so apps without DPoP do not ship oauth4webapi's DPoP code.
 *
 * @example
 * ```ts
 * import { createAuthClient, dpop } from '@oauth-spa/core'
 * createAuthClient({ issuer, clientId, redirectUri, dpop })
 * ```
 */
export async function dpop(store, create, serverAlgs, client = {}) {
  let keyPair = await store.get(KEY)
  if (!isKeyPair(keyPair)) {
    if (!create) return undefined
    const alg = ALGS.find((a) => !serverAlgs || serverAlgs.includes(a))
    if (!alg)
      throw new DPoPError(`The server offers no DPoP algorithm this SDK uses (${ALGS.join(', ')}).`)
    const fresh = await oauth.generateKeyPair(alg, { extractable: false })
    // Two tabs logging in at once keep one key: the first written wins, the other adopts it.
    await store.update(KEY, (old) => (isKeyPair(old) ? old : fresh))
    keyPair = (await store.get(KEY)) ?? fresh
  }
  // The client carries the server's clock offset: proofs are dated on the server's clock.
  return oauth.DPoP(client, keyPair)
}
//# sourceMappingURL=dpop.js.map
