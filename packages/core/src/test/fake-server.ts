/**
 * A small in-process authorization server (and API) behind an injected `fetch`: the only thing
 * the unit tests mock. It serves discovery, issues tokens (checking PKCE and the code), records
 * every request, and lets a test program the next answers of each endpoint.
 */

export interface RecordedRequest {
  url: string
  method: string
  headers: Headers
  body: string
  /** The form body of `application/x-www-form-urlencoded` requests. */
  form: URLSearchParams
  redirect: RequestRedirect
}

export type Reply = (req: RecordedRequest, server: FakeServer) => Response | Promise<Response>

export interface FakeServerOptions {
  issuer?: string
  /** Metadata fields to override; `undefined` removes one. */
  metadata?: Record<string, unknown>
  /** Include an ID token in refresh responses. Default true. */
  idTokenOnRefresh?: boolean
  /** Token type issued by default. Default `Bearer` (or `DPoP` when the request carries a proof). */
  tokenType?: string
  expiresIn?: number
}

interface CodeGrant {
  nonce?: string
  challenge: string
  clientId: string
  redirectUri: string
  used: boolean
}

const enc = new TextEncoder()

export const b64u = (bytes: Uint8Array | ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

export const b64uJson = (x: unknown): string => b64u(enc.encode(JSON.stringify(x)))

export const decodeJwt = (
  jwt: string,
): { header: Record<string, unknown>; payload: Record<string, unknown> } => {
  const [h, p] = jwt.split('.')
  const dec = (s: string) =>
    JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
      ),
    ) as Record<string, unknown>
  return { header: dec(h!), payload: dec(p!) }
}

export const sha256b64u = async (s: string): Promise<string> =>
  b64u(await crypto.subtle.digest('SHA-256', enc.encode(s)))

/** An ID token with a dummy signature: oauth4webapi checks the claims of token-endpoint ID tokens only. */
export function idToken(claims: Record<string, unknown>): string {
  return `${b64uJson({ alg: 'RS256', typ: 'JWT' })}.${b64uJson(claims)}.sig`
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

export const oauthError = (
  error: string,
  status = 400,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response => json({ error, ...extra }, status, headers)

export class FakeServer {
  readonly issuer: string
  readonly requests: RecordedRequest[] = []
  readonly navigations: string[] = []
  readonly metadata: Record<string, unknown>
  /** Programmed answers, consumed in order before the default behaviour. */
  readonly tokenReplies: Reply[] = []
  readonly revocationReplies: Reply[] = []
  readonly apiReplies: Reply[] = []
  readonly deviceReplies: Reply[] = []
  readonly parReplies: Reply[] = []
  /** Parameters pushed to the PAR endpoint, by `request_uri`. */
  readonly pushed = new Map<string, URLSearchParams>()
  idTokenOnRefresh: boolean
  tokenType: string | undefined
  expiresIn: number
  sub = 'user-1'
  clientId: string | undefined
  private counter = 0
  private codes = new Map<string, CodeGrant>()
  /** Refresh tokens the server still accepts. */
  readonly liveRefreshTokens = new Set<string>()

  constructor(options: FakeServerOptions = {}) {
    this.issuer = options.issuer ?? 'https://as.example'
    const base = this.issuer.replace(/\/$/, '')
    this.metadata = {
      issuer: this.issuer,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      revocation_endpoint: `${base}/revoke`,
      device_authorization_endpoint: `${base}/device/auth`,
      pushed_authorization_request_endpoint: `${base}/par`,
      end_session_endpoint: `${base}/logout`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      dpop_signing_alg_values_supported: ['ES256'],
      id_token_signing_alg_values_supported: ['RS256'],
    }
    for (const [k, v] of Object.entries(options.metadata ?? {})) {
      if (v === undefined) delete this.metadata[k]
      else this.metadata[k] = v
    }
    this.idTokenOnRefresh = options.idTokenOnRefresh ?? true
    this.tokenType = options.tokenType
    this.expiresIn = options.expiresIn ?? 3600
  }

  /** Injected as the client's `navigate`. */
  navigate = (url: string): void => {
    this.navigations.push(url)
  }

  /** Injected as the client's `fetch`. */
  fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text()
    const rec: RecordedRequest = {
      url: request.url,
      method: request.method,
      headers: new Headers(request.headers),
      body,
      form: new URLSearchParams(
        (request.headers.get('content-type') ?? '').includes('x-www-form-urlencoded') ? body : '',
      ),
      redirect: request.redirect,
    }
    this.requests.push(rec)
    const url = new URL(rec.url)
    const at = (name: string) => this.metadata[name] === url.origin + url.pathname
    if (url.pathname.startsWith('/.well-known/')) {
      if (url.href === new URL('/.well-known/openid-configuration', this.issuer).href) {
        return json(this.metadata)
      }
      return new Response('not found', { status: 404 })
    }
    if (at('token_endpoint')) return (this.tokenReplies.shift() ?? defaultToken)(rec, this)
    if (at('device_authorization_endpoint'))
      return (this.deviceReplies.shift() ?? defaultDevice)(rec, this)
    if (at('pushed_authorization_request_endpoint'))
      return (this.parReplies.shift() ?? defaultPar)(rec, this)
    if (at('revocation_endpoint')) {
      return (this.revocationReplies.shift() ?? (() => new Response(null, { status: 200 })))(
        rec,
        this,
      )
    }
    return (this.apiReplies.shift() ?? (() => json({ ok: true })))(rec, this)
  }

  /** Requests to one endpoint (`token_endpoint`, ...) or to URLs starting with a prefix. */
  sent(endpointOrPrefix: string): RecordedRequest[] {
    const target = (this.metadata[endpointOrPrefix] as string | undefined) ?? endpointOrPrefix
    return this.requests.filter((r) => r.url.startsWith(target))
  }

  get tokenRequests(): RecordedRequest[] {
    return this.sent('token_endpoint')
  }

  /** The user logs in at the authorization endpoint: returns the callback URL the server redirects to. */
  authorize(authorizationUrl: string, extra: Record<string, string> = {}): string {
    const u = new URL(authorizationUrl)
    // PAR: the browser brought a reference to parameters pushed before.
    const ref = u.searchParams.get('request_uri')
    if (ref) {
      const pushed = this.pushed.get(ref)
      if (!pushed) throw new Error(`unknown request_uri ${ref}`)
      this.pushed.delete(ref)
      u.search = `?${pushed}`
    }
    const code = `code-${++this.counter}-${crypto.randomUUID()}`
    this.codes.set(code, {
      nonce: u.searchParams.get('nonce') ?? undefined,
      challenge: u.searchParams.get('code_challenge') ?? '',
      clientId: u.searchParams.get('client_id') ?? '',
      redirectUri: u.searchParams.get('redirect_uri') ?? '',
      used: false,
    })
    const cb = new URL(u.searchParams.get('redirect_uri') ?? 'http://localhost:5173/callback')
    cb.searchParams.set('code', code)
    cb.searchParams.set('state', u.searchParams.get('state') ?? '')
    cb.searchParams.set('iss', this.issuer)
    for (const [k, v] of Object.entries(extra)) cb.searchParams.set(k, v)
    return cb.href
  }

  lastNavigation(): URL {
    const last = this.navigations.at(-1)
    if (!last) throw new Error('the client did not navigate')
    return new URL(last)
  }

  /** Issues a token response for `req`; `overrides` replace or (with `undefined`) remove fields. */
  async issue(req: RecordedRequest, overrides: Record<string, unknown> = {}): Promise<Response> {
    const n = ++this.counter
    const grant = req.form.get('grant_type')
    let nonce: string | undefined
    if (grant === 'authorization_code') {
      const c = this.codes.get(req.form.get('code') ?? '')
      if (!c || c.used)
        return oauthError('invalid_grant', 400, { error_description: 'unknown code' })
      c.used = true
      if ((await sha256b64u(req.form.get('code_verifier') ?? '')) !== c.challenge) {
        return oauthError('invalid_grant', 400, { error_description: 'PKCE verification failed' })
      }
      nonce = c.nonce
      this.clientId = c.clientId
    } else if (grant === 'refresh_token') {
      const rt = req.form.get('refresh_token') ?? ''
      if (!this.liveRefreshTokens.has(rt)) return oauthError('invalid_grant', 400)
      this.liveRefreshTokens.delete(rt)
    }
    const dpopBound = req.headers.has('dpop')
    const now = Math.floor(Date.now() / 1000)
    const body: Record<string, unknown> = {
      access_token: `at-${n}-${crypto.randomUUID()}`,
      token_type: this.tokenType ?? (dpopBound ? 'DPoP' : 'Bearer'),
      expires_in: this.expiresIn,
      refresh_token: `rt-${n}-${crypto.randomUUID()}`,
    }
    if (
      grant === 'authorization_code' ||
      grant === DEVICE_GRANT ||
      (grant === 'refresh_token' && this.idTokenOnRefresh)
    ) {
      body.id_token = idToken({
        iss: this.issuer,
        aud: req.form.get('client_id') ?? this.clientId,
        sub: this.sub,
        iat: now,
        exp: now + 600,
        name: 'Ada',
        ...(nonce ? { nonce } : {}),
      })
    }
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete body[k]
      else body[k] = v
    }
    if (typeof body.refresh_token === 'string') this.liveRefreshTokens.add(body.refresh_token)
    return json(body)
  }
}

const defaultToken: Reply = (req, server) => server.issue(req)

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

let devices = 0
const defaultDevice: Reply = () =>
  json({
    device_code: `dc-${++devices}-${crypto.randomUUID()}`,
    user_code: 'WDJB-MJHT',
    verification_uri: 'https://as.example/device',
    verification_uri_complete: 'https://as.example/device?user_code=WDJB-MJHT',
    expires_in: 600,
    interval: 5,
  })

const defaultPar: Reply = (req, server) => {
  const requestUri = `urn:ietf:params:oauth:request_uri:${crypto.randomUUID()}`
  server.pushed.set(requestUri, req.form)
  return json({ request_uri: requestUri, expires_in: 60 }, 201)
}

/** A reply that waits until `release()` is called. */
export function deferred(reply: Reply = defaultToken): {
  reply: Reply
  release: () => void
  started: Promise<void>
} {
  let release!: () => void
  let start!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const started = new Promise<void>((r) => (start = r))
  return {
    reply: async (req, server) => {
      start()
      await gate
      return reply(req, server)
    },
    release,
    started,
  }
}

/** A fetch that fails like a browser without network. */
export const networkDown: Reply = () => {
  throw new TypeError('Failed to fetch')
}
