import * as oauth from 'oauth4webapi'
import { isLoopback } from './config.js'
import { nonceNotReadable } from './errors.js'
import { internals } from './internals.js'

/** An entry of `allowedOrigins`: an origin, or a URL prefix, optionally with its own API/scope. */
export type AllowedOrigin = string | { url: string; resource?: string; scope?: string }

export interface AuthFetchOptions {
  /** Overrides the client's `allowedOrigins`. */
  allowedOrigins?: readonly AllowedOrigin[]
  /** The `fetch` to call. Default: the client's injected `fetch`, else the global one. */
  fetch?: typeof fetch
}

interface Rule {
  origin: string
  path: string
  resource?: string
  scope?: string
}

const toRule = (entry: AllowedOrigin): Rule => {
  const e = typeof entry === 'string' ? { url: entry } : entry
  const u = new URL(e.url)
  return {
    origin: u.origin,
    path: u.pathname === '/' ? '' : u.pathname.replace(/\/?$/, '/'),
    resource: e.resource,
    scope: e.scope,
  }
}

/** The most specific rule that covers `url`: exact origin (scheme, host, port) and path prefix. */
const match = (rules: Rule[], url: URL): Rule | undefined =>
  rules
    .filter((r) => url.origin === r.origin && (url.pathname + '/').startsWith(r.path))
    .sort((a, b) => b.path.length - a.path.length)[0]

/**
 * A `fetch` that attaches the access token (Bearer, or DPoP with a fresh proof) only to URLs
 * covered by `allowedOrigins` — exact scheme, host and port, or a URL prefix — and sends every
 * other request untouched. A token-carrying request does not follow redirects (`redirect:
 * 'manual'`), so a token never travels to where a redirect points. A 401 `invalid_token` causes one
 * refresh and one retry, a `use_dpop_nonce` challenge one retry with the server's nonce; a body that
 * cannot be replayed (a stream) is never sent twice.
 *
 * @see RFC 6750 §2.1, RFC 9449 §7
 * @example
 * ```ts
 * const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'] })
 * const res = await api('https://api.example.com/me')
 * ```
 */
export function createAuthFetch(auth: object, options: AuthFetchOptions = {}): typeof fetch {
  let rules: Rule[] | undefined
  return async (input, init) => {
    const it = internals.get(auth)
    if (!it) throw new TypeError('createAuthFetch needs a client made by createAuthClient.')
    const base = options.fetch ?? it.cfg.fetch ?? fetch
    rules ??= (options.allowedOrigins ?? it.cfg.allowedOrigins ?? []).map(toRule)
    const request = new Request(input, init)
    const url = new URL(request.url)
    const rule = match(rules, url)
    // Not ours to authorize, or the caller chose its own credentials: send it as given.
    if (!rule && !request.headers.has('authorization'))
      import('./dev.js').then(
        (m) => m.notAllowed(url.origin),
        () => {},
      )
    if (!rule || request.headers.has('authorization')) return base(request)
    const replayable = !(init?.body instanceof ReadableStream)
    const spare = replayable ? request.clone() : undefined
    const opts = { resource: rule.resource, scope: rule.scope }
    const DPoP = await it.dpop()

    let used = ''
    const send = async (req: Request, stale?: string): Promise<Response> => {
      const token = await it.token({ ...opts, stale })
      used = token.accessToken
      const headers = new Headers(req.headers)
      try {
        return await oauth.protectedResourceRequest(
          token.accessToken,
          req.method,
          url,
          headers,
          null,
          {
            [oauth.allowInsecureRequests]: url.protocol === 'http:' && isLoopback(url),
            DPoP: token.tokenType === 'dpop' ? DPoP : undefined,
            // oauth4webapi builds the headers (Authorization, DPoP proof); the caller's request keeps
            // its body, signal, credentials and mode.
            [oauth.customFetch]: (_u, o) =>
              base(new Request(req, { headers: o.headers, redirect: 'manual' })),
          },
        )
      } catch (err) {
        if (err instanceof oauth.WWWAuthenticateChallengeError) return err.response
        throw err
      }
    }

    const res = await send(request)
    if (res.status !== 401 || !spare) return res
    const challenge = res.headers.get('www-authenticate') ?? ''
    const nonce = /use_dpop_nonce/.test(challenge)
    // No readable challenge counts as invalid_token: most APIs do not expose WWW-Authenticate.
    if (!nonce && challenge && !/invalid_token/.test(challenge)) return res
    if (nonce && !res.headers.has('dpop-nonce')) throw nonceNotReadable(url.origin)
    await res.body?.cancel()
    // A nonce challenge is answered with the nonce (the DPoP handle kept it), anything else with
    // another token: one a parallel request already got, or one refresh.
    return send(spare, nonce ? undefined : used)
  }
}
