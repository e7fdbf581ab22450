// A protected API on plain node:http, in one file: the runnable example of
// docs/protecting-your-api.md. It accepts RFC 9068 JWT access tokens from one issuer, as Bearer or
// DPoP-bound (RFC 9449) tokens.
//
//   EXTRA_API_RESOURCES=http://localhost:9003 node examples/servers/start.mjs   # the local issuer
//   node examples/servers/protect-node-http.mjs          # ISSUER, PORT, REQUIRE_NONCE=1 optional
//
// oauth4webapi validates the token and the DPoP proof; jose only tells a bad token from a bad proof
// when validation fails. Scope, DPoP nonces and `jti` replay are this file's own code.
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { pathToFileURL } from 'node:url'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import * as oauth from 'oauth4webapi'

const DPOP_ALGS = ['ES256', 'RS256', 'PS256']
const loopbackHttp = (/** @type {URL} */ u) => u.protocol === 'http:' && u.hostname === 'localhost'

/**
 * The issuer's metadata, through discovery (checked: `issuer` must match exactly).
 *
 * @param {string} issuer
 */
export async function discover(issuer) {
  const url = new URL(issuer)
  const options = { [oauth.allowInsecureRequests]: loopbackHttp(url) } // http only on localhost
  const as = await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, options))
  return { as, options }
}

/**
 * Builds the request check: `await check(request, 'read')` → `{ status: 200, claims }`, or
 * `{ status, error?, description?, scope? }` for the challenge.
 *
 * @param {{ as: oauth.AuthorizationServer, options: Record<symbol, unknown>, audience: string,
 *   requireNonce?: boolean }} config
 */
export function protect({ as, options, audience, requireNonce = false }) {
  // Server nonces (RFC 9449 §9): the current and the previous one are accepted.
  let nonce = randomBytes(16).toString('base64url')
  let previousNonce = ''
  setInterval(() => {
    previousNonce = nonce
    nonce = randomBytes(16).toString('base64url')
  }, 60_000).unref()
  /** `jkt:jti` → expiry (ms). Proofs are accepted ±300 s around their iat: keep them 11 minutes. */
  const seenJti = new Map()
  const keys = createRemoteJWKSet(new URL(String(as.jwks_uri)))

  /**
   * @param {Request} request with the client's headers and the URL the client called
   * @param {string} scope the scope this route needs
   * @returns {Promise<{ status: number, claims?: oauth.JWTAccessTokenClaims, error?: string,
   *   description?: string, scope?: string }>}
   */
  async function check(request, scope) {
    const [scheme = '', token = ''] = (request.headers.get('authorization') ?? '').split(/ +/)
    if (!/^(bearer|dpop)$/i.test(scheme)) return { status: 401 } // no credentials: plain challenge
    const proof = request.headers.get('dpop')
    if (proof !== null) {
      // Our policy: one proof, an algorithm we advertise, a public key.
      let header
      try {
        header = proof.includes(',') ? {} : decodeProtectedHeader(proof)
      } catch {
        header = {}
      }
      if (!DPOP_ALGS.includes(String(header.alg)) || !header.jwk || 'd' in header.jwk) {
        return { status: 401, error: 'invalid_dpop_proof', description: 'unacceptable DPoP proof' }
      }
    }

    let claims
    try {
      // The token: signature (issuer's JWKS), typ at+jwt, iss, aud, exp, sub/jti/client_id/iat.
      // With DPoP: proof typ and signature, htm, htu, ath, iat, and cnf.jkt = the key's thumbprint.
      claims = await oauth.validateJwtAccessToken(as, request, audience, options)
    } catch (err) {
      // The errors do not say which part failed; the challenge must. Check the token alone: a good,
      // DPoP-bound token sent with the DPoP scheme means the proof is at fault — unless the proof's
      // key is not the one the token is bound to, which makes the token unusable here.
      const tokenOk = await jwtVerify(token, keys, { issuer: as.issuer, audience, typ: 'at+jwt' })
        .then(() => true)
        .catch(() => false)
      const bound = tokenOk && typeof decodeJwt(token).cnf === 'object'
      const cause = /** @type {{ cause?: { claim?: string } }} */ (err).cause
      const proofAtFault = bound && /^dpop$/i.test(scheme) && cause?.claim !== 'cnf.jkt'
      const error = proofAtFault ? 'invalid_dpop_proof' : 'invalid_token'
      return { status: 401, error, description: /** @type {Error} */ (err).message }
    }

    if (proof !== null) {
      const { jti, nonce: proofNonce } = decodeJwt(proof) // validated above
      if (requireNonce && (!proofNonce || (proofNonce !== nonce && proofNonce !== previousNonce))) {
        return { status: 401, error: 'use_dpop_nonce', description: 'use the DPoP-Nonce header' }
      }
      const key = `${claims.cnf?.jkt}:${jti}`
      if ((seenJti.get(key) ?? 0) > Date.now()) {
        return { status: 401, error: 'invalid_dpop_proof', description: 'DPoP proof replayed' }
      }
      seenJti.set(key, Date.now() + 660_000) // (a real API also sweeps expired entries)
    }

    if (
      !String(claims.scope ?? '')
        .split(' ')
        .includes(scope)
    ) {
      return { status: 403, error: 'insufficient_scope', description: `needs "${scope}"`, scope }
    }
    return { status: 200, claims }
  }
  return { check, currentNonce: () => nonce }
}

/**
 * @param {{ issuer: string, port?: number, audience?: string, requireNonce?: boolean }} opts
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startProtectedApi({ issuer, port = 9003, audience, requireNonce }) {
  const server = http.createServer()
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)))
  const url = `http://localhost:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`
  const { check, currentNonce } = protect({
    ...(await discover(issuer)),
    audience: audience ?? url,
    requireNonce,
  })

  server.on('request', async (req, res) => {
    // The URL the client called (for htu): behind a proxy, use the public origin instead.
    const request = new Request(new URL(req.url ?? '/', url), {
      method: req.method,
      headers: /** @type {Record<string, string>} */ (req.headers),
    })
    if (req.method !== 'GET' || new URL(request.url).pathname !== '/api/hello') {
      res.writeHead(404).end()
      return
    }
    const dpop = /^dpop /i.test(request.headers.get('authorization') ?? '')
    const result = await check(request, 'read')
    if (dpop && requireNonce) res.setHeader('DPoP-Nonce', currentNonce())
    if (result.status !== 200) {
      // RFC 6750 §3 / RFC 9449 §7.1: the scheme the client used, the error and what to do
      const params = ['realm="api"']
      if (result.error) params.push(`error="${result.error}"`)
      if (result.description) {
        params.push(`error_description="${result.description.replace(/["\\]/g, "'")}"`)
      }
      if (result.scope) params.push(`scope="${result.scope}"`)
      const schemes = result.error ? [dpop ? 'DPoP' : 'Bearer'] : ['Bearer', 'DPoP']
      res.setHeader(
        'WWW-Authenticate',
        schemes.map(
          (s) => `${s} ${params.join(', ')}${s === 'DPoP' ? ', algs="ES256 RS256 PS256"' : ''}`,
        ),
      )
      res.writeHead(result.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: result.error ?? 'unauthorized' }))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ hello: result.claims?.sub, scope: result.claims?.scope }))
  })
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined))
        server.closeAllConnections()
      }),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const api = await startProtectedApi({
    issuer: process.env.ISSUER ?? 'http://localhost:9000',
    port: Number(process.env.PORT ?? 9003),
    requireNonce: process.env.REQUIRE_NONCE === '1',
  })
  console.log(`protected API on ${api.url}/api/hello (audience ${api.url})`)
}
