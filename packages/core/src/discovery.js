import * as oauth from 'oauth4webapi'
import { checkSecureUrl } from './config.js'
import { ConfigurationError, NetworkError } from './errors.js'
import { httpOptions } from './http.js'
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
const withoutNone = (as) => ({
  ...as,
  id_token_signing_alg_values_supported: (
    as.id_token_signing_alg_values_supported ?? SIGNED
  ).filter((alg) => alg !== 'none'),
})
/**
 * Every endpoint the SDK fetches or sends the browser to must be https (http on loopback only): a
 * `javascript:` or plain-http `authorization_endpoint` in metadata is refused, not navigated.
 * (`end_session_endpoint` is checked when logging out: a bad one must not prevent logins.)
 */
function checkEndpoints(as) {
  for (const [name, value] of Object.entries(as))
    if (
      (name.endsWith('_endpoint') || name === 'jwks_uri') &&
      name !== 'end_session_endpoint' &&
      value !== undefined
    )
      checkSecureUrl(String(value), `The server metadata's ${name}`)
  return as
}
/** Names the URL tried, and for an issuer mismatch both values: what the developer must fix. */
function explain(err, url) {
  const e = err
  if (e?.code === oauth.JSON_ATTRIBUTE_COMPARISON && e.cause?.attribute === 'issuer') {
    return new ConfigurationError(
      `${url} names the issuer "${String(e.cause.body?.issuer)}", not the configured "${e.cause.expected}": set \`issuer\` to the server's exact value.`,
    )
  }
  return toAuthError(err, `Discovery at ${url}`)
}
/**
 * Server metadata from IndexedDB while fresh (so a reload does not refetch it), else from
 * `/.well-known/openid-configuration` — falling back to the OAuth 2.0 path — validated by
 * oauth4webapi against the configured issuer (RFC 8414 §3.3, issuers with a path included).
 */
export async function discover(cfg, store) {
  const issuer = new URL(cfg.issuer)
  const cached = await store.get('discovery').catch(() => undefined)
  if (
    cached?.v === 1 &&
    typeof cached.as?.issuer === 'string' &&
    new URL(cached.as.issuer).href === issuer.href &&
    cfg.now() - cached.at < cfg.discoveryTtl * 1000
  ) {
    return withoutNone(checkEndpoints(cached.as))
  }
  const oidcUrl = `${issuer.href.replace(/\/$/, '')}/.well-known/openid-configuration`
  let as
  try {
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...httpOptions(cfg), algorithm: 'oidc' }),
    )
  } catch (err) {
    const error = explain(err, oidcUrl)
    // Only a server without the OIDC document gets a second request; one that is down does not.
    if (err instanceof NetworkError || err instanceof DOMException) throw error
    try {
      as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { ...httpOptions(cfg), algorithm: 'oauth2' }),
      )
    } catch {
      throw error
    }
  }
  checkEndpoints(as)
  await store.set('discovery', { v: 1, at: cfg.now(), as })
  return withoutNone(as)
}
//# sourceMappingURL=discovery.js.map
