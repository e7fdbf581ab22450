/**
 * The misbehaving-server kit: per test, make the real local authorization server or API answer
 * wrongly, without touching the servers. Everything goes through Playwright's request
 * interception (`page.route` / `context.route`), so it applies to one test's browser only and
 * ends with it.
 *
 * ```ts
 * const token = await misbehave(page, `${ISSUER}/token`, rewrite({ status: 503, headers: { 'retry-after': '2' } }), { times: 1 })
 * await misbehave(page, `${ISSUER}/token`, cut(20))               // body stops after 20 bytes
 * await misbehave(page, `${ISSUER}/token`, resignIdToken((c) => ({ ...c, sub: 'mallory' })))
 * await tamperCallback(page, APP, { duplicate: ['state'], drop: ['iss'] })
 * expect(token.hits).toBe(1)
 * ```
 *
 * Faults see the real response (`route.fetch()`), so a rewrite keeps what it does not change,
 * including the server's CORS headers; bodies the kit makes up get CORS headers for the page's
 * origin, so the browser hands them to the SDK instead of failing them as CORS errors. CORS
 * preflights always pass through untouched.
 */
import type { BrowserContext, Page, Request, Route } from '@playwright/test'
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWTPayload,
} from 'jose'

/** Where a fault applies: a Playwright glob, a RegExp, or a predicate on the URL. */
export type Target = string | RegExp | ((url: URL) => boolean)

/** What a fault gets: the intercepted route and request, and the real response on demand. */
export interface FaultContext {
  route: Route
  request: Request
  /** The real server's answer (fetched once, on first call). */
  upstream(): Promise<Upstream>
  /** CORS headers that let the page read a made-up response (the request's Origin allowed). */
  cors(): Record<string, string>
}

export interface Upstream {
  status: number
  headers: Record<string, string>
  body: Buffer
  /** The body parsed as JSON (throws if it is not). */
  json(): unknown
}

/** A fault answers the route: fulfil, abort, or never (hang). */
export type Fault = (ctx: FaultContext) => Promise<void>

export interface MisbehaveOptions {
  /** Apply to the first `times` matching requests only; later ones reach the server. */
  times?: number
  /** Only requests with this method (default: any but OPTIONS). */
  method?: string
}

export interface FaultHandle {
  /** How many requests the fault answered. */
  readonly hits: number
  /** Requests the fault answered (method + URL). */
  readonly requests: { method: string; url: string }[]
  /** Lets requests held by `hang()` fail (as a connection reset), and removes the fault. */
  remove(): Promise<void>
}

type Routable = Pick<Page, 'route' | 'unroute'> | Pick<BrowserContext, 'route' | 'unroute'>

const matches = (target: Target, url: string): boolean => {
  if (typeof target === 'function') return target(new URL(url))
  if (target instanceof RegExp) return target.test(url)
  return true // globs are matched by Playwright itself
}

/**
 * Installs `fault` for requests to `target` made by `on` (a page, or a whole context: popups and
 * other tabs included). Returns a handle that counts hits and removes the fault.
 */
export async function misbehave(
  on: Routable,
  target: Target,
  fault: Fault,
  options: MisbehaveOptions = {},
): Promise<FaultHandle> {
  const requests: { method: string; url: string }[] = []
  const held = new Set<() => void>()
  let removed = false
  const pattern = typeof target === 'function' ? '**/*' : target
  const handler = async (route: Route, request: Request) => {
    const method = request.method()
    const wanted = options.method ? method === options.method.toUpperCase() : method !== 'OPTIONS'
    if (
      removed ||
      !wanted ||
      !matches(target, request.url()) ||
      (options.times !== undefined && requests.length >= options.times)
    ) {
      return route.fallback()
    }
    requests.push({ method, url: request.url() })
    let real: Promise<Upstream> | undefined
    const ctx: FaultContext = {
      route,
      request,
      upstream: () =>
        (real ??= route.fetch({ maxRedirects: 0 }).then(async (res) => {
          const body = await res.body()
          return {
            status: res.status(),
            headers: res.headers(),
            body,
            json: () => JSON.parse(body.toString('utf8')) as unknown,
          }
        })),
      cors: () => corsFor(request),
    }
    try {
      await fault({ ...ctx, route: holdable(route, held) })
    } catch (err) {
      // A broken fault must not look like a hung server: fail loudly and let the request fail.
      console.error(`e2e kit: the fault for ${method} ${request.url()} threw`, err)
      await route.abort('failed').catch(() => {})
    }
  }
  await on.route(pattern, handler)
  return {
    get hits() {
      return requests.length
    },
    requests,
    async remove() {
      removed = true
      held.forEach((release) => release())
      held.clear()
      await on.unroute(pattern, handler).catch(() => {})
    },
  }
}

/** A route whose `hang()` callers can be released by `remove()`. */
function holdable(route: Route, held: Set<() => void>): Route & { hold(): Promise<void> } {
  return Object.assign(Object.create(route) as Route, {
    hold: () =>
      new Promise<void>((resolve) => {
        const release = () => {
          held.delete(release)
          resolve()
        }
        held.add(release)
      }),
  })
}

function corsFor(request: Request): Record<string, string> {
  const origin = request.headers()['origin']
  return origin
    ? {
        'access-control-allow-origin': origin,
        'access-control-expose-headers': 'WWW-Authenticate, DPoP-Nonce',
        vary: 'Origin',
      }
    : {}
}

/** Hop-by-hop and framing headers of the real response do not describe a rewritten body. */
function dropFraming(headers: Record<string, string>) {
  for (const h of [
    'content-length',
    'content-encoding',
    'transfer-encoding',
    'connection',
    'keep-alive',
  ])
    delete headers[h]
}

// ---- faults ---------------------------------------------------------------------------------

export interface Rewrite {
  status?: number
  /** Headers to set; `null` removes one. Names are case-insensitive. */
  headers?: Record<string, string | null>
  /** The new body: text, a JSON value, or a function of the real body (parsed JSON when it is). */
  body?: string | Buffer | ((real: unknown) => unknown)
}

/** Answers with the real response, changed: status, headers and/or body. */
export const rewrite =
  (change: Rewrite): Fault =>
  async ({ route, upstream }) => {
    const real = await upstream()
    const headers: Record<string, string> = { ...real.headers }
    for (const [k, v] of Object.entries(change.headers ?? {})) {
      const key = Object.keys(headers).find((h) => h.toLowerCase() === k.toLowerCase()) ?? k
      if (v === null) delete headers[key]
      else headers[key] = v
    }
    let body: string | Buffer = real.body
    if (typeof change.body === 'function') {
      let parsed: unknown
      try {
        parsed = real.json()
      } catch {
        parsed = real.body.toString('utf8')
      }
      const out = change.body(parsed)
      body = typeof out === 'string' ? out : JSON.stringify(out)
    } else if (change.body !== undefined) {
      body = change.body
    }
    dropFraming(headers)
    await route.fulfill({ status: change.status ?? real.status, headers, body })
  }

/** Answers with `body` and `status` without asking the server (CORS headers for the page). */
export const respond =
  (status: number, body: string | Buffer | object, headers: Record<string, string> = {}): Fault =>
  async ({ route, cors }) => {
    const json = typeof body === 'object' && !Buffer.isBuffer(body)
    await route.fulfill({
      status,
      headers: {
        'content-type': json ? 'application/json' : 'text/plain',
        'cache-control': 'no-store',
        ...cors(),
        ...headers,
      },
      body: json ? JSON.stringify(body) : body,
    })
  }

/** An HTML page, as a proxy or a login wall would send. */
export const html = (status = 200, page = '<!doctype html><h1>Bad gateway</h1>'): Fault =>
  respond(status, page, { 'content-type': 'text/html; charset=utf-8' })

/**
 * A body of `bytes` bytes (default 32 MiB). `json: true` makes it a valid JSON object whose real
 * fields are kept, padded with one long string field; otherwise it is `a`s.
 */
export const huge =
  (bytes = 32 * 1024 * 1024, json = false): Fault =>
  async (ctx) => {
    if (!json) return respond(200, Buffer.alloc(bytes, 'a'))(ctx)
    const real = (await ctx.upstream()).json() as Record<string, unknown>
    const base = JSON.stringify({ ...real, padding: '' })
    const padded = `${base.slice(0, -2)}${'x'.repeat(Math.max(0, bytes - base.length))}"}`
    return rewrite({ body: padded })(ctx)
  }

/**
 * The real response cut after `bytes` bytes of its body. `reset: true` also announces the full
 * length, so the browser sees the connection end early (a network error while reading the body)
 * instead of a short but complete body.
 */
export const cut =
  (bytes: number, reset = false): Fault =>
  async ({ route, upstream }) => {
    const real = await upstream()
    const headers = { ...real.headers }
    dropFraming(headers)
    if (reset) headers['content-length'] = String(real.body.length + 1024)
    await route.fulfill({ status: real.status, headers, body: real.body.subarray(0, bytes) })
  }

/** Waits `ms`, then lets the request through (or applies `then`). */
export const delay =
  (ms: number, then?: Fault): Fault =>
  async (ctx) => {
    await new Promise((r) => setTimeout(r, ms))
    if (then) return then(ctx)
    await ctx.route.fallback()
  }

/** Never answers: the request stays pending until the page gives up or the fault is removed. */
export const hang =
  (): Fault =>
  async ({ route }) => {
    await (route as Route & { hold(): Promise<void> }).hold()
    await route.abort('connectionreset').catch(() => {})
  }

/** Fails at the network level: `connectionrefused`, `timedout`, `internetdisconnected`... */
export const fail =
  (error: Parameters<Route['abort']>[0] = 'connectionrefused'): Fault =>
  async ({ route }) =>
    route.abort(error)

// ---- ID tokens re-signed with a key the server's JWKS advertises ----------------------------

let testKey: Promise<{ privateKey: CryptoKey; jwk: Record<string, unknown> }> | undefined
/** One RS256 key per test run; its public half is appended to the server's JWKS by the kit. */
export const testSigningKey = () =>
  (testKey ??= generateKeyPair('RS256', { extractable: true }).then(
    async ({ privateKey, publicKey }) => ({
      privateKey: privateKey as CryptoKey,
      jwk: { ...(await exportJWK(publicKey)), kid: 'e2e-kit-test-key', alg: 'RS256', use: 'sig' },
    }),
  ))

/** Signs `claims` with the test key (RS256, kid `e2e-kit-test-key`). */
export async function signIdToken(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const { privateKey } = await testSigningKey()
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ typ: 'JWT', ...header, alg: 'RS256', kid: 'e2e-kit-test-key' })
    .sign(privateKey)
}

/**
 * The token response with its ID token's claims changed by `change` and re-signed with the test
 * key (the response is passed on untouched when it carries no ID token). Pair it with
 * {@link trustTestKey} so that a client verifying signatures against the JWKS accepts the key.
 */
export const resignIdToken =
  (change: (claims: Record<string, unknown>, header: Record<string, unknown>) => object): Fault =>
  async (ctx) => {
    const real = await ctx.upstream()
    let body: Record<string, unknown> | undefined
    try {
      body = real.json() as Record<string, unknown>
    } catch {
      // not JSON: nothing to re-sign
    }
    if (typeof body?.id_token !== 'string') return rewrite({})(ctx)
    const claims = decodeJwt(body.id_token) as Record<string, unknown>
    const header = decodeProtectedHeader(body.id_token) as Record<string, unknown>
    const changed = change({ ...claims }, header) as Record<string, unknown>
    return rewrite({ body: JSON.stringify({ ...body, id_token: await signIdToken(changed) }) })(ctx)
  }

/** Appends the test key to the server's JWKS (`jwks_uri`), so ID tokens it signed verify. */
export async function trustTestKey(on: Routable, jwksUri: string): Promise<FaultHandle> {
  const { jwk } = await testSigningKey()
  return misbehave(
    on,
    jwksUri,
    rewrite({ body: (real) => ({ keys: [...((real as { keys?: unknown[] }).keys ?? []), jwk] }) }),
  )
}

// ---- the authorization response (callback URL) ----------------------------------------------

export interface CallbackTamper {
  /** Parameters removed from the callback URL. */
  drop?: readonly string[]
  /** Parameters sent twice (the second copy equal to the first, or `duplicateWith`). */
  duplicate?: readonly string[]
  duplicateWith?: string
  /** Parameters set (added or replaced). */
  set?: Record<string, string>
  /** Move the response into the fragment instead of the query. */
  toFragment?: boolean
}

/**
 * Changes the authorization response the app at `app` + `path` (default `/callback`) receives, once
 * per page load that carries a `state`: before any script of the page runs, the address is
 * replaced by the tampered one, so the app sees exactly what a tampering server (or an attacker
 * crafting the link) would send. (Playwright does not intercept the server's redirect to the
 * callback, the last hop of a redirect chain, so the URL is changed in the page instead.)
 * `hits` counts the responses tampered with.
 */
export async function tamperCallback(
  page: Page,
  app: string,
  tamper: CallbackTamper,
  path = '/callback',
): Promise<Pick<FaultHandle, 'hits'>> {
  let hits = 0
  const binding = `__kitCallbackTampered${++bindings}`
  await page.exposeFunction(binding, () => void hits++)
  await page.addInitScript(
    ({ app, path, tamper, binding }) => {
      if (location.origin !== app || location.pathname !== path) return
      const u = new URL(location.href)
      if (!u.searchParams.has('state')) return
      for (const p of tamper.drop ?? []) u.searchParams.delete(p)
      for (const p of tamper.duplicate ?? [])
        u.searchParams.append(p, tamper.duplicateWith ?? u.searchParams.get(p) ?? '')
      for (const [k, v] of Object.entries(tamper.set ?? {})) u.searchParams.set(k, v)
      if (tamper.toFragment) {
        u.hash = u.searchParams.toString()
        u.search = ''
      }
      history.replaceState(history.state, '', u.href)
      ;(window as unknown as Record<string, () => void>)[binding]!()
    },
    { app, path, tamper, binding },
  )
  return {
    get hits() {
      return hits
    },
  }
}
let bindings = 0
