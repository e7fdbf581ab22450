/** An entry of `allowedOrigins`: an origin, or a URL prefix, optionally with its own API/scope. */
export type AllowedOrigin =
  | string
  | {
      url: string
      resource?: string
      scope?: string
    }
export interface AuthFetchOptions {
  /** Overrides the client's `allowedOrigins`. */
  allowedOrigins?: readonly AllowedOrigin[]
  /** The `fetch` to call. Default: the client's injected `fetch`, else the global one. */
  fetch?: typeof fetch
}
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
export declare function createAuthFetch(auth: object, options?: AuthFetchOptions): typeof fetch
