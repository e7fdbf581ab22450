import * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import { DPoPError, NetworkError, nonceNotReadable } from './errors.js'

/** The most an authorization server may answer (metadata, JWKS, tokens, UserInfo): 1 MiB. */
export const MAX_BODY = 1 << 20

/**
 * `fetch` to the authorization server, with its own failures (offline, DNS, CORS, a connection
 * reset, a body cut mid-way) as `NetworkError`s naming the host, so that anything else that throws
 * later is not the network's fault; and the body read here, refused past {@link MAX_BODY}.
 */
export async function send(f: typeof fetch, url: string | URL | Request, init?: RequestInit) {
  const host = new URL(url instanceof Request ? url.url : url).host
  const fail = (why: string): never => {
    throw new NetworkError(`${host} ${why}. Try again.`)
  }
  try {
    const res = await f(url, init)
    if (Number(res.headers.get('content-length')) > MAX_BODY) {
      await res.body?.cancel()
      fail('sent a response over 1 MiB: refused')
    }
    if (!res.body) return res
    const reader = res.body.getReader()
    const chunks: Uint8Array[] = []
    for (let size = 0; ;) {
      const { done, value } = await reader.read()
      if (done) break
      if ((size += value.length) > MAX_BODY) {
        await reader.cancel()
        fail('sent a response over 1 MiB: refused')
      }
      chunks.push(value)
    }
    const { status, statusText, headers } = res
    return new Response(chunks.length ? new Blob(chunks as BlobPart[]) : null, {
      status,
      statusText,
      headers,
    })
  } catch (err) {
    if (err instanceof DOMException || err instanceof NetworkError) throw err // toAuthError names a timeout
    return fail(`is unreachable (${(err as Error)?.message})`)
  }
}

/** oauth4webapi request options: injected fetch, a fresh timeout per request, http only for loopback. */
export const httpOptions = (cfg: Config, DPoP?: oauth.DPoPHandle) => ({
  [oauth.customFetch]: (url: string, init: RequestInit) => send(cfg.fetch ?? fetch, url, init),
  [oauth.allowInsecureRequests]: cfg.insecure,
  signal: () => AbortSignal.timeout(cfg.timeout),
  DPoP,
})

/**
 * One retry when the server asks for a DPoP nonce (RFC 9449 §8); never a loop. A nonce the
 * browser cannot read, or a second demand, is a `DPoPError`, not a rejected grant.
 */
export async function withNonceRetry<T>(
  run: (DPoP?: oauth.DPoPHandle) => Promise<T>,
  DPoP?: oauth.DPoPHandle,
): Promise<T> {
  try {
    return await run(DPoP)
  } catch (err) {
    if (!DPoP || !oauth.isDPoPNonceError(err)) throw err
    const res = (err as { response?: Response }).response
    if (!res?.headers.has('dpop-nonce'))
      throw nonceNotReadable(res?.url ? new URL(res.url).origin : 'The server')
  }
  try {
    return await run(DPoP)
  } catch (err) {
    if (oauth.isDPoPNonceError(err))
      throw new DPoPError('The server asked for a fresh DPoP nonce twice in a row.')
    throw err
  }
}

/**
 * Token request parameters: the API (RFC 8707), the provider's `audience`, extra scope, the app's
 * own (with the adapter's below them).
 */
export const tokenParams = (cfg: Config, resource?: string, scope?: string) =>
  Object.fromEntries(
    Object.entries({ resource, audience: cfg.audience, scope, ...cfg.extraTokenParams }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  )

/** Beyond this (15 min) an offset is not trusted: an old ID token must not move our clock. */
const MAX_SKEW = 900

/**
 * The server's clock minus ours, in seconds, from the `iat` of the ID token in a token response
 * received at `receivedAt` (ms, local clock). Read before validation, only to set the clock
 * validation and DPoP proofs use; oauth4webapi then checks the token in full.
 */
export async function serverClockOffset(
  res: Response,
  receivedAt: number,
): Promise<number | undefined> {
  try {
    const idToken = ((await res.clone().json()) as { id_token?: unknown }).id_token
    const payload = typeof idToken === 'string' ? idToken.split('.')[1] : undefined
    if (!payload) return undefined
    const { iat } = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      iat?: unknown
    }
    const offset = typeof iat === 'number' ? Math.round(iat - receivedAt / 1000) : NaN
    return Math.abs(offset) < MAX_SKEW ? offset : undefined
  } catch {
    return undefined // not JSON, no ID token: the processing step reports it
  }
}

/**
 * `res`, once the ID token in `response` (already processed) is checked against the server's
 * keys when `verifyIdTokenSignature` is on; otherwise TLS from the token endpoint vouches for it
 * (OpenID Connect Core §3.1.3.7).
 */
export async function signed<T>(
  cfg: Config,
  as: oauth.AuthorizationServer,
  response: Response,
  res: T,
): Promise<T> {
  await cfg.verifyIdTokenSignature?.(cfg, as, response)
  return res
}
