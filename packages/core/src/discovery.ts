import * as oauth from 'oauth4webapi'
import { checkSecureUrl, type Config } from './config.js'
import { ConfigurationError, NetworkError, type AuthError } from './errors.js'
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
function withoutNone(as: oauth.AuthorizationServer): oauth.AuthorizationServer {
  const algs: unknown = as.id_token_signing_alg_values_supported ?? SIGNED
  if (!Array.isArray(algs))
    throw new ConfigurationError(
      "The server metadata's id_token_signing_alg_values_supported is not a list: fix the server's discovery document.",
    )
  return { ...as, id_token_signing_alg_values_supported: algs.filter((alg) => alg !== 'none') }
}

/**
 * Every endpoint the SDK fetches or sends the browser to must be https (http on loopback only): a
 * `javascript:` or plain-http `authorization_endpoint` in metadata is refused, not navigated.
 * (`end_session_endpoint` is checked when logging out: a bad one must not prevent logins.) An
 * endpoint set to null (`"revocation_endpoint": null`) is one the server does not have: every
 * reader of the metadata tests endpoints for truthiness.
 */
function checkEndpoints(as: oauth.AuthorizationServer): oauth.AuthorizationServer {
  for (const [name, value] of Object.entries(as))
    if (
      (name.endsWith('_endpoint') || name === 'jwks_uri') &&
      name !== 'end_session_endpoint' &&
      value != null
    )
      checkSecureUrl(String(value), `The server metadata's ${name}`)
  return as
}

/** Names the URL tried, and for an issuer mismatch both values: what the developer must fix. */
function explain(err: unknown, url: string): AuthError {
  const e = err as {
    code?: string
    cause?: { attribute?: string; expected?: string; body?: { issuer?: unknown } }
  }
  if (e?.code === oauth.JSON_ATTRIBUTE_COMPARISON && e.cause?.attribute === 'issuer') {
    return new ConfigurationError(
      `${url} names the issuer "${String(e.cause.body?.issuer)}", not the configured "${e.cause.expected}": set \`issuer\` to the server's exact value.`,
    )
  }
  return toAuthError(err, `Discovery at ${url}`)
}

interface CachedMetadata {
  v: 1
  at: number
  as: oauth.AuthorizationServer
}

/**
 * Server metadata from IndexedDB while fresh (so a reload does not refetch it), else from
 * `/.well-known/openid-configuration` — falling back to the OAuth 2.0 path — validated by
 * oauth4webapi against the configured issuer (RFC 8414 §3.3, issuers with a path included), or the
 * provider's issuer template. The app's `metadata` option fills or overrides it (a complete one
 * replaces discovery), then the provider adapter; the server's own document is what is cached.
 */
export async function discover(cfg: Config, store: TokenStore): Promise<oauth.AuthorizationServer> {
  const { provider: p, metadata: given } = cfg
  const issuer = new URL(cfg.issuer)
  const expected = new URL(p ? p.expected(cfg.issuer) : cfg.issuer)
  const ours = (as: Partial<oauth.AuthorizationServer> | undefined) =>
    typeof as?.issuer === 'string' && new URL(as.issuer).href === expected.href
  const cached = (await store.get('discovery').catch(() => undefined)) as CachedMetadata | undefined
  // A complete `metadata` option (of this issuer) is the whole document: no discovery.
  let as =
    given?.authorization_endpoint && given.token_endpoint && ours(given)
      ? (given as oauth.AuthorizationServer)
      : cached?.v === 1 && ours(cached.as) && cfg.now() - cached.at < cfg.discoveryTtl * 1000
        ? cached.as
        : undefined
  if (!as) {
    const oidcUrl = `${issuer.href.replace(/\/$/, '')}/.well-known/openid-configuration`
    try {
      as = await oauth.processDiscoveryResponse(
        expected,
        await oauth.discoveryRequest(issuer, { ...httpOptions(cfg), algorithm: 'oidc' }),
      )
    } catch (err) {
      const error = explain(err, oidcUrl)
      // Only a server without the OIDC document gets a second request; one that is down does not.
      if (err instanceof NetworkError || err instanceof DOMException) throw error
      try {
        as = await oauth.processDiscoveryResponse(
          expected,
          await oauth.discoveryRequest(issuer, { ...httpOptions(cfg), algorithm: 'oauth2' }),
        )
      } catch {
        throw error
      }
    }
    // Checked before it is cached: a document that is refused must not stick for discoveryTtl.
    withoutNone(checkEndpoints(as))
    // The server's own document is cached; the app's and the adapter's changes apply on reading.
    await store.set('discovery', { v: 1, at: cfg.now(), as } satisfies CachedMetadata)
  }
  as = { ...as, ...given, issuer: as.issuer }
  return withoutNone(checkEndpoints(p ? p.metadata(as, cfg) : as))
}
