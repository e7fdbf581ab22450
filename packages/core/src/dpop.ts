import * as oauth from 'oauth4webapi'
import type { TokenStore } from './storage.js'
import { DPoPError } from './errors.js'

const KEY = 'dpop'
/** The algorithms proofs are signed with (oauth4webapi's generateKeyPair). */
const ALGS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'PS256', 'RS256']

const isKeyPair = (x: unknown): x is CryptoKeyPair =>
  !!x &&
  (x as CryptoKeyPair).privateKey instanceof CryptoKey &&
  (x as CryptoKeyPair).publicKey instanceof CryptoKey

/** Pass as `dpop` to {@link createAuthClient} to sender-constrain tokens. */
export type DPoPLoader = typeof dpop

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
export async function dpop(
  store: TokenStore,
  create: boolean,
  serverAlgs: readonly string[] | undefined,
  client: Pick<oauth.Client, typeof oauth.clockSkew> = {},
): Promise<oauth.DPoPHandle | undefined> {
  let keyPair = await store.get(KEY)
  if (!isKeyPair(keyPair)) {
    if (!create) return undefined
    // ES256 when the server offers it (or names none), else the first of its list we sign with.
    const alg = ['ES256', ...(serverAlgs ?? [])].find(
      (a) => ALGS.includes(a) && (!serverAlgs || serverAlgs.includes(a)),
    )
    if (!alg)
      throw new DPoPError(`The server offers no DPoP algorithm this SDK uses (${ALGS.join(', ')}).`)
    // The name kept with the key: an Ed25519 key signs as "Ed25519" unless the server said "EdDSA".
    const fresh = { ...(await oauth.generateKeyPair(alg, { extractable: false })), alg }
    // Two tabs logging in at once keep one key: the first written wins, the other adopts it.
    await store.update(KEY, (old) => (isKeyPair(old) ? old : fresh))
    keyPair = (await store.get(KEY)) ?? fresh
  }
  // The client carries the server's clock offset: proofs are dated on the server's clock.
  const { alg } = keyPair as { alg?: string }
  return oauth.DPoP(client, keyPair as CryptoKeyPair, {
    [oauth.modifyAssertion]: (header) => void (alg && (header.alg = alg)),
  })
}
