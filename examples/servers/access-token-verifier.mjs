import { createRemoteJWKSet, customFetch as joseFetch, decodeJwt, jwtVerify } from 'jose'
import * as oauth from 'oauth4webapi'

/**
 * Validation of a request's JWT access token (RFC 9068) and, for DPoP, its proof (RFC 9449 §4.3,
 * §7) — by oauth4webapi's `validateJwtAccessToken`, the resource-server helper of the library the
 * SDK itself uses. What it does not do (scope, DPoP nonces, `jti` replay) is left to the caller.
 */

/** Asymmetric JWS algorithms accepted for access tokens ("none" and HMAC are never accepted). */
export const ACCESS_TOKEN_ALGS = [
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

/** Claims every access token must carry (RFC 9068 §2.2); oauth4webapi requires the same. */
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'iat', 'jti', 'client_id']

/** The issuer could not be asked (discovery or JWKS unreachable): "could not check", not "bad token". */
export class IssuerUnavailableError extends Error {}

/**
 * A rejected access token or DPoP proof. `error` is the RFC 6750 / RFC 9449 code of the challenge.
 */
export class TokenRejectedError extends Error {
  /**
   * @param {'invalid_token' | 'invalid_dpop_proof'} error
   * @param {string} description
   */
  constructor(error, description) {
    super(description)
    this.error = error
  }
}

/** @param {string} url */
const isLoopbackHttp = (url) => {
  const u = new URL(url)
  return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
}

/**
 * @param {{ issuer: string, audience: string, clockToleranceSeconds?: number,
 *   timeoutMs?: number }} opts
 */
export function createAccessTokenVerifier({
  issuer,
  audience,
  clockToleranceSeconds = 5,
  timeoutMs = 5_000,
}) {
  const issuerUrl = new URL(issuer)
  // http only for a loopback issuer (the demo); anything else must be https.
  const insecure = isLoopbackHttp(issuer)

  /** Every request to the issuer goes through here, so "unreachable" is told apart from "invalid". */
  /** @type {typeof fetch} */
  const issuerFetch = async (url, init) => {
    let res
    try {
      res = await fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) })
    } catch (cause) {
      throw new IssuerUnavailableError(`cannot reach the issuer (${String(url)})`, { cause })
    }
    if (!res.ok) {
      throw new IssuerUnavailableError(`the issuer answered HTTP ${res.status} for ${String(url)}`)
    }
    return res
  }
  const httpOptions = {
    [oauth.customFetch]: issuerFetch,
    [oauth.allowInsecureRequests]: insecure,
  }

  /** @type {Promise<{ as: oauth.AuthorizationServer, keys: ReturnType<typeof createRemoteJWKSet> }> | undefined} */
  let metadataPromise

  /** Discovery on first use, then cached; a failed look-up is retried on the next request. */
  function metadata() {
    metadataPromise ??= (async () => {
      const res = await oauth.discoveryRequest(issuerUrl, httpOptions)
      let as
      try {
        as = await oauth.processDiscoveryResponse(issuerUrl, res)
      } catch (cause) {
        throw new IssuerUnavailableError(`discovery of ${issuer} failed`, { cause })
      }
      if (typeof as.jwks_uri !== 'string') {
        throw new IssuerUnavailableError(`discovery of ${issuer} has no jwks_uri`)
      }
      // jose's key set: only to tell a bad token from a bad proof when validation fails (below).
      const keys = createRemoteJWKSet(new URL(as.jwks_uri), { [joseFetch]: issuerFetch })
      return { as, keys }
    })().catch((err) => {
      metadataPromise = undefined
      throw err
    })
    return metadataPromise
  }

  /**
   * Validates the request's access token and, when the token is DPoP-bound or the request uses
   * DPoP, its proof: signature through the issuer's JWKS, `typ: at+jwt`, `iss`, `aud`, `exp`,
   * required claims; proof `typ`, signature by its `jwk`, `htm`, `htu`, `ath`, `iat` (±300 s) and
   * `cnf.jkt` = the key's thumbprint.
   *
   * @param {Request} request with the client's `Authorization` (and `DPoP`) headers and the URL the
   *   client called
   * @returns {Promise<oauth.JWTAccessTokenClaims>}
   * @throws {TokenRejectedError | IssuerUnavailableError}
   */
  return async function verifyRequest(request) {
    const { as, keys } = await metadata()
    try {
      return await oauth.validateJwtAccessToken(as, request, audience, {
        ...httpOptions,
        // for the token and the proof; the proof's are narrowed by dpop-verifier.mjs beforehand
        signingAlgorithms: ACCESS_TOKEN_ALGS,
        [oauth.clockTolerance]: clockToleranceSeconds,
      })
    } catch (err) {
      if (err instanceof IssuerUnavailableError) throw err
      throw await classify(err, request, as, keys)
    }
  }

  /**
   * oauth4webapi's errors do not say whether the token or the proof failed, and the challenge must
   * (`invalid_token` vs `invalid_dpop_proof`). So the token alone is checked again with jose: if it
   * fails, the token is bad; if it passes, the DPoP part is — the binding (`cnf.jkt`, scheme) makes
   * the token unusable here (`invalid_token`), anything else is the proof.
   *
   * @param {unknown} err
   * @param {Request} request
   * @param {oauth.AuthorizationServer} as
   * @param {ReturnType<typeof createRemoteJWKSet>} keys
   */
  async function classify(err, request, as, keys) {
    const message = /** @type {Error} */ (err)?.message ?? String(err)
    const [scheme, token = ''] = (request.headers.get('authorization') ?? '').split(/ +/)
    try {
      await jwtVerify(token, keys, {
        issuer: as.issuer,
        audience,
        algorithms: ACCESS_TOKEN_ALGS,
        typ: 'at+jwt',
        clockTolerance: clockToleranceSeconds,
        requiredClaims: REQUIRED_CLAIMS,
      })
    } catch (tokenErr) {
      if (tokenErr instanceof IssuerUnavailableError) return tokenErr
      return new TokenRejectedError('invalid_token', `access token is invalid: ${message}`)
    }
    const jkt = /** @type {{ cnf?: { jkt?: unknown } }} */ (decodeJwt(token)).cnf?.jkt
    if (scheme.toLowerCase() === 'bearer') {
      const description =
        jkt === undefined
          ? `access token is invalid: ${message}`
          : 'DPoP-bound access token must be presented with the DPoP scheme'
      return new TokenRejectedError('invalid_token', description)
    }
    if (typeof jkt !== 'string') {
      return new TokenRejectedError('invalid_token', 'access token is not DPoP-bound')
    }
    const cause = /** @type {{ cause?: { claim?: unknown } }} */ (err).cause
    if (cause?.claim === 'cnf.jkt') {
      return new TokenRejectedError('invalid_token', 'Invalid DPoP key binding')
    }
    return new TokenRejectedError('invalid_dpop_proof', `invalid DPoP proof: ${message}`)
  }
}
