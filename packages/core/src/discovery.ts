import * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import { httpOptions } from './http.js'
import type { TokenStore } from './storage.js'
import { toAuthError } from './classify.js'

/** Signed ID tokens only: `none` is never accepted, whatever the server lists (RFC 9700 §4.7). */
const SIGNED = [
  'RS256',
  'PS256',
  'ES256',
  'EdDSA',
  'Ed25519',
  'RS384',
  'RS512',
  'PS384',
  'PS512',
  'ES384',
  'ES512',
]
const withoutNone = (as: oauth.AuthorizationServer): oauth.AuthorizationServer => ({
  ...as,
  id_token_signing_alg_values_supported: (
    as.id_token_signing_alg_values_supported ?? SIGNED
  ).filter((alg) => alg !== 'none'),
})

interface CachedMetadata {
  v: 1
  at: number
  as: oauth.AuthorizationServer
}

/**
 * Server metadata from IndexedDB while fresh (so a reload does not refetch it), else from
 * `/.well-known/openid-configuration` — falling back to the OAuth 2.0 path — validated by
 * oauth4webapi against the configured issuer (RFC 8414 §3.3, issuers with a path included).
 */
export async function discover(cfg: Config, store: TokenStore): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(cfg.issuer)
  const cached = (await store.get('discovery').catch(() => undefined)) as CachedMetadata | undefined
  if (
    cached?.v === 1 &&
    typeof cached.as?.issuer === 'string' &&
    new URL(cached.as.issuer).href === issuer.href &&
    cfg.now() - cached.at < cfg.discoveryTtl * 1000
  ) {
    return withoutNone(cached.as)
  }
  let as: oauth.AuthorizationServer
  try {
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...httpOptions(cfg), algorithm: 'oidc' }),
    )
  } catch (err) {
    // Only a server without the OIDC document gets a second request; a server that is down does not.
    if (err instanceof TypeError || err instanceof DOMException) throw toAuthError(err, 'Discovery')
    try {
      as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { ...httpOptions(cfg), algorithm: 'oauth2' }),
      )
    } catch {
      throw toAuthError(err, 'Discovery')
    }
  }
  await store.set('discovery', { v: 1, at: cfg.now(), as } satisfies CachedMetadata)
  return withoutNone(as)
}
