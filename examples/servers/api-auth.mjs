import { IssuerUnavailableError, TokenRejectedError } from './access-token-verifier.mjs'
import { checkProofHeader, DPOP_ALGS, DpopError } from './dpop-verifier.mjs'

/**
 * Authorization of requests to the demo API: access token extraction, validation, DPoP binding,
 * and RFC 6750 §3 / RFC 9449 §7.1 challenges.
 *
 * @typedef {{ status: number, scheme: 'Bearer' | 'DPoP' | undefined, error?: string,
 *   description?: string, scope?: string, dpopNonce?: string }} AuthFailure
 * @typedef {{ claims: import('oauth4webapi').JWTAccessTokenClaims, scheme: 'Bearer' | 'DPoP', dpopNonce?: string }} AuthSuccess
 */

export const REALM = 'api'

/**
 * A challenge parameter value. RFC 6750 §3 allows neither a double quote nor a backslash (nor non-ASCII) in these
 * values, so they are replaced rather than escaped.
 *
 * @param {string} value
 */
const quote = (value) => `"${value.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?')}"`

/**
 * `WWW-Authenticate` challenges for a failure. Without a scheme (no credentials) both Bearer and
 * DPoP are offered; otherwise the scheme the client used.
 *
 * @param {AuthFailure} failure
 * @returns {string[]}
 */
export function challenges(failure) {
  /** @param {'Bearer' | 'DPoP'} scheme */
  const build = (scheme) => {
    const params = [`realm=${quote(REALM)}`]
    if (scheme === 'DPoP') params.push(`algs=${quote(DPOP_ALGS.join(' '))}`)
    if (failure.error) params.push(`error=${quote(failure.error)}`)
    if (failure.description) params.push(`error_description=${quote(failure.description)}`)
    if (failure.scope) params.push(`scope=${quote(failure.scope)}`)
    return `${scheme} ${params.join(', ')}`
  }
  return failure.scheme ? [build(failure.scheme)] : [build('Bearer'), build('DPoP')]
}

/**
 * Parses the Authorization header: `Bearer <token>` or `DPoP <token>` (scheme case-insensitive).
 *
 * @param {string | undefined} header
 * @returns {{ scheme: 'Bearer' | 'DPoP', token: string } | { scheme: string | undefined, token: undefined }}
 */
export function parseAuthorization(header) {
  if (!header) return { scheme: undefined, token: undefined }
  const match = /^(\S+)\s+([A-Za-z0-9\-._~+/]+=*)\s*$/.exec(header)
  const scheme = header.split(/\s+/)[0]
  if (!match) return { scheme, token: undefined }
  const lower = match[1].toLowerCase()
  if (lower === 'bearer') return { scheme: 'Bearer', token: match[2] }
  if (lower === 'dpop') return { scheme: 'DPoP', token: match[2] }
  return { scheme, token: undefined }
}

/**
 * @param {{ verifyRequest: ReturnType<typeof import('./access-token-verifier.mjs').createAccessTokenVerifier>,
 *   checkDpopProof: ReturnType<typeof import('./dpop-verifier.mjs').createDpopPolicy>,
 *   nonces?: import('./dpop-nonces.mjs').DpopNonces }} deps
 */
export function createRequestAuthenticator({ verifyRequest, checkDpopProof, nonces }) {
  /**
   * @param {{ method: string, url: string, authorization: string | undefined,
   *   dpop: string | string[] | undefined, requiredScope: string }} req `url`: external request URL
   * @returns {Promise<{ ok: true, value: AuthSuccess } | { ok: false, value: AuthFailure }>}
   */
  return async function authenticate(req) {
    const { scheme, token } = parseAuthorization(req.authorization)
    /** @param {AuthFailure} value */
    const fail = (value) => /** @type {const} */ ({ ok: false, value })

    if (scheme === undefined) return fail({ status: 401, scheme: undefined })
    if (scheme !== 'Bearer' && scheme !== 'DPoP') {
      // unsupported scheme: answer like a request without credentials
      return fail({ status: 401, scheme: undefined })
    }
    if (!token) {
      return fail({ status: 401, scheme, error: 'invalid_request', description: 'malformed token' })
    }
    const dpopNonce = scheme === 'DPoP' ? nonces?.current() : undefined

    /** @type {Headers} */
    const headers = new Headers({ authorization: `${scheme} ${token}` })
    let request
    try {
      if (req.dpop !== undefined) {
        checkProofHeader(req.dpop)
        headers.set('dpop', String(req.dpop))
      }
      request = new Request(req.url, { method: req.method, headers })
    } catch (err) {
      if (!(err instanceof DpopError)) {
        return fail({
          status: 400,
          scheme,
          error: 'invalid_request',
          description: 'bad request URL',
        })
      }
      return fail({ status: 401, scheme, error: err.error, description: err.message, dpopNonce })
    }

    let claims
    try {
      // oauth4webapi: the token, and the proof whenever DPoP is in play
      claims = await verifyRequest(request)
      if (scheme === 'DPoP') {
        // ours: server nonce and jti replay
        checkDpopProof(String(req.dpop), String(claims.cnf?.jkt))
      }
    } catch (err) {
      if (err instanceof IssuerUnavailableError) {
        return fail({
          status: 503,
          scheme,
          error: 'temporarily_unavailable',
          description: 'cannot reach the issuer',
        })
      }
      if (err instanceof TokenRejectedError || err instanceof DpopError) {
        return fail({ status: 401, scheme, error: err.error, description: err.message, dpopNonce })
      }
      throw err
    }

    const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : [])
    if (!scopes.has(req.requiredScope)) {
      return fail({
        status: 403,
        scheme,
        error: 'insufficient_scope',
        description: `the "${req.requiredScope}" scope is required`,
        scope: req.requiredScope,
        dpopNonce,
      })
    }
    return { ok: true, value: { claims, scheme, dpopNonce } }
  }
}
