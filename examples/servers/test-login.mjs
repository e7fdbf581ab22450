import { createHash, randomBytes } from 'node:crypto'

import { CookieJar } from './cookie-jar.mjs'
import { createDpopProof } from './dpop-proof.mjs'

/**
 * Drives the authorization server's real authorization code + PKCE flow with plain fetch (no
 * browser): the dev login form, the consent page, the code exchange. For tests and scripts.
 *
 * @typedef {import('./dpop-proof.mjs').DpopKey} DpopKey
 * @typedef {{ access_token: string, token_type: string, expires_in: number, scope?: string,
 *   refresh_token?: string, id_token?: string }} TokenResponse
 */

/** @type {Map<string, Promise<Record<string, any>>>} */
const discoveryCache = new Map()

/** @param {string} issuer */
export function discover(issuer) {
  let promise = discoveryCache.get(issuer)
  if (!promise) {
    promise = fetch(`${issuer}/.well-known/openid-configuration`).then(async (res) => {
      if (!res.ok) throw new Error(`discovery failed: HTTP ${res.status}`)
      return res.json()
    })
    promise.catch(() => discoveryCache.delete(issuer))
    discoveryCache.set(issuer, promise)
  }
  return promise
}

export function createPkce() {
  const codeVerifier = randomBytes(32).toString('base64url')
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url')
  return { codeVerifier, codeChallenge }
}

/** @param {string} html */
function parseForm(html) {
  const action = /<form[^>]*\saction="([^"]+)"/i.exec(html)?.[1]?.replaceAll('&amp;', '&')
  const prompt = /name="prompt"\s+value="([^"]+)"/i.exec(html)?.[1]
  return { action, prompt }
}

/**
 * Runs the authorization request through login and consent and returns the code from the
 * redirect. `resource` may be repeated (array).
 *
 * @param {{ issuer: string, clientId?: string, redirectUri: string, scope?: string,
 *   resource?: string | string[], login?: string, password?: string, prompt?: string,
 *   jar?: CookieJar, extraParams?: Record<string, string>, state?: string, nonce?: string,
 *   pkce?: { codeVerifier: string, codeChallenge: string }, expectedIss?: string | null }} opts
 *   `jar`: pass the jar of an earlier login to reuse its session (e.g. with `prompt: 'none'`);
 *   `expectedIss`: the `iss` the response must carry (default `issuer`; `null`: none, for servers
 *   without RFC 9207 such as the Cognito and Entra stand-ins)
 */
export async function authorize(opts) {
  const metadata = await discover(opts.issuer)
  const jar = opts.jar ?? new CookieJar()
  const { codeVerifier, codeChallenge } = opts.pkce ?? createPkce()
  const state = opts.state ?? randomBytes(16).toString('base64url')
  const nonce = opts.nonce ?? randomBytes(16).toString('base64url')

  const authUrl = new URL(metadata.authorization_endpoint)
  const params = authUrl.searchParams
  params.set('client_id', opts.clientId ?? 'demo-spa')
  params.set('response_type', 'code')
  params.set('redirect_uri', opts.redirectUri)
  params.set('scope', opts.scope ?? 'openid profile email offline_access read write')
  params.set('state', state)
  params.set('nonce', nonce)
  params.set('code_challenge', codeChallenge)
  params.set('code_challenge_method', 'S256')
  if (opts.prompt) params.set('prompt', opts.prompt)
  for (const r of [opts.resource ?? []].flat()) params.append('resource', r)
  for (const [k, v] of Object.entries(opts.extraParams ?? {})) params.set(k, v)

  const redirect = new URL(opts.redirectUri)
  /** @type {{ url: URL, method: string, body?: URLSearchParams }} */
  let next = { url: authUrl, method: 'GET' }
  for (let step = 0; step < 20; step++) {
    const cookie = jar.header(next.url)
    const res = await fetch(next.url, {
      method: next.method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: next.body,
    })
    jar.store(next.url, res.headers.getSetCookie())

    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel()
      const location = new URL(/** @type {string} */ (res.headers.get('location')), next.url)
      if (location.origin === redirect.origin && location.pathname === redirect.pathname) {
        const result = Object.fromEntries(location.searchParams)
        if (result.state !== state) throw new Error('state mismatch in authorization response')
        const iss = opts.expectedIss === undefined ? opts.issuer : opts.expectedIss
        if ((result.iss ?? null) !== iss) throw new Error('iss mismatch in authorization response')
        if (result.error) {
          throw Object.assign(new Error(`authorization error: ${result.error}`), {
            response: result,
          })
        }
        return { code: result.code, codeVerifier, state, nonce, jar, callbackUrl: location.href }
      }
      next = { url: location, method: 'GET' }
      continue
    }

    const html = await res.text()
    if (res.status !== 200) throw new Error(`unexpected HTTP ${res.status} at ${next.url}: ${html}`)
    const form = parseForm(html)
    if (!form.action || !form.prompt) throw new Error(`no interaction form at ${next.url}`)
    const body = new URLSearchParams({ prompt: form.prompt })
    if (form.prompt === 'login') {
      body.set('login', opts.login ?? 'alice')
      body.set('password', opts.password ?? 'any-password')
    }
    next = { url: new URL(form.action, next.url), method: 'POST', body }
  }
  throw new Error('too many redirects during the authorization flow')
}

/**
 * POSTs to the token endpoint; with a DPoP key, adds a proof and retries once when the server
 * asks for a nonce (`use_dpop_nonce`).
 *
 * @param {{ issuer: string, params: Record<string, string | string[]>, dpopKey?: DpopKey,
 *   dpopNonce?: string, headers?: Record<string, string> }} opts
 * @returns {Promise<{ status: number, body: any, headers: Headers, dpopNonce?: string }>}
 */
export async function tokenRequest(opts) {
  const { token_endpoint: tokenEndpoint } = await discover(opts.issuer)
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(opts.params)) {
    for (const value of [v].flat()) body.append(k, value)
  }
  let nonce = opts.dpopNonce
  for (let attempt = 0; attempt < 2; attempt++) {
    /** @type {Record<string, string>} */
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers }
    if (opts.dpopKey) {
      headers.dpop = await createDpopProof(opts.dpopKey, { htm: 'POST', htu: tokenEndpoint, nonce })
    }
    const res = await fetch(tokenEndpoint, { method: 'POST', headers, body })
    const json = await res.json()
    const serverNonce = res.headers.get('dpop-nonce') ?? undefined
    if (opts.dpopKey && json.error === 'use_dpop_nonce' && serverNonce && attempt === 0) {
      nonce = serverNonce
      continue
    }
    return { status: res.status, body: json, headers: res.headers, dpopNonce: serverNonce ?? nonce }
  }
  throw new Error('unreachable')
}

/**
 * Full login: authorization request (login + consent) then code exchange. Throws unless the
 * token endpoint answers 200.
 *
 * @param {{ issuer: string, clientId?: string, redirectUri: string, scope?: string,
 *   resource?: string | string[], tokenResource?: string, dpopKey?: DpopKey, login?: string,
 *   password?: string, jar?: CookieJar, expectedIss?: string | null,
 *   extraParams?: Record<string, string> }} opts `tokenResource`: the `resource` sent at the code
 *   exchange (default: the single requested resource, if only one)
 */
export async function loginProgrammatically(opts) {
  const clientId = opts.clientId ?? 'demo-spa'
  const auth = await authorize({ ...opts, clientId })
  const resources = [opts.resource ?? []].flat()
  const tokenResource = opts.tokenResource ?? (resources.length === 1 ? resources[0] : undefined)
  /** @type {Record<string, string>} */
  const params = {
    grant_type: 'authorization_code',
    client_id: clientId,
    code: auth.code,
    redirect_uri: opts.redirectUri,
    code_verifier: auth.codeVerifier,
  }
  if (tokenResource) params.resource = tokenResource
  const res = await tokenRequest({ issuer: opts.issuer, params, dpopKey: opts.dpopKey })
  if (res.status !== 200) {
    throw Object.assign(new Error(`code exchange failed: ${JSON.stringify(res.body)}`), {
      response: res,
    })
  }
  return {
    tokens: /** @type {TokenResponse} */ (res.body),
    dpopNonce: res.dpopNonce,
    jar: auth.jar,
    nonce: auth.nonce,
  }
}

/**
 * Refresh token grant.
 *
 * @param {{ issuer: string, clientId?: string, refreshToken: string, resource?: string,
 *   scope?: string, dpopKey?: DpopKey, dpopNonce?: string }} opts
 */
export function refreshTokens(opts) {
  /** @type {Record<string, string>} */
  const params = {
    grant_type: 'refresh_token',
    client_id: opts.clientId ?? 'demo-spa',
    refresh_token: opts.refreshToken,
  }
  if (opts.resource) params.resource = opts.resource
  if (opts.scope) params.scope = opts.scope
  return tokenRequest({
    issuer: opts.issuer,
    params,
    dpopKey: opts.dpopKey,
    dpopNonce: opts.dpopNonce,
  })
}
