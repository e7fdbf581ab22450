import type { AuthClient } from '@oauth-spa/core'

/**
 * The walkthrough's record of the flow, built only from what the SDK lets an app see: the
 * `fetch` and `navigate` it was given, the callback URL, and its events. Every secret is masked
 * the moment it is read, so nothing raw is ever stored here — the entries can be kept in
 * sessionStorage to survive the redirect to the authorization server and back.
 */

export type Row = [label: string, value: string]
export interface Step {
  /** ms since epoch, local clock */
  at: number
  kind:
    | 'discovery'
    | 'authorize'
    | 'par'
    | 'callback'
    | 'device'
    | 'poll'
    | 'token'
    | 'refresh'
    | 'api'
    | 'revoke'
    | 'logout'
    | 'event'
  title: string
  /** HTTP status or outcome, shown as a badge */
  outcome?: string
  rows: Row[]
  /** decoded JWT claims (secrets among them masked) */
  claims?: { title: string; rows: Row[]; open?: boolean }[]
  /** Identical answers in a row folded into one step (device-flow polls while pending). */
  count?: number
}

const STORAGE_KEY = 'oauth-spa-demo:walkthrough'
const MAX_STEPS = 80

/** Parameters whose values are not secret; every other value is masked. */
const PUBLIC = new Set([
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'response_type',
  'response_mode',
  'resource',
  'audience',
  'prompt',
  'max_age',
  'ui_locales',
  'login_hint',
  'request_uri',
  'iss',
  'error',
  'error_description',
  'grant_type',
  'token_type_hint',
  'post_logout_redirect_uri',
  'token_type',
  'expires_in',
  // The device flow's answer (RFC 8628): the user code and its page are meant for people to read
  // (and type on their phone); the device code is the secret and stays masked.
  'user_code',
  'verification_uri',
  'verification_uri_complete',
  'verification_url',
  'interval',
])

/** RFC 8628 §3.4 */
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/** First 6 characters and an ellipsis: enough to tell two values apart, useless to an attacker. */
export const mask = (value: string): string =>
  value.length <= 8 ? '•••' : `${value.slice(0, 6)}… (${value.length} chars)`

const show = (name: string, value: string): string => (PUBLIC.has(name) ? value : mask(value))

const params = (p: URLSearchParams): Row[] => [...p].map(([k, v]) => [k, show(k, v)])

const time = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString([], { hour12: false })

/** Claims of a JWT, for display: timestamps readable, `nonce` and `jti` masked. */
export function decodeClaims(jwt: string): Row[] | undefined {
  try {
    const part = jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')
    const json = new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)))
    const claims = JSON.parse(json) as Record<string, unknown>
    return Object.entries(claims).map(([k, v]) => {
      if (['nonce', 'jti', 'ath', 'at_hash', 'sid'].includes(k)) return [k, mask(String(v))]
      if (['iat', 'exp', 'nbf', 'auth_time'].includes(k) && typeof v === 'number') {
        return [k, `${v} (${time(v)})`]
      }
      return [k, typeof v === 'string' ? v : JSON.stringify(v)]
    })
  } catch {
    return undefined
  }
}

/** `Authorization` header: the scheme in clear, the token masked. */
const authorization = (value: string): string => {
  const [scheme, token = ''] = value.split(/ +/)
  return `${scheme} ${mask(token)}`
}

export interface Walkthrough {
  steps(): readonly Step[]
  subscribe(listener: () => void): () => void
  clear(): void
  /** Wraps the `fetch` given to createAuthClient: observes discovery, token, revocation, PAR, API. */
  observeFetch(base: typeof fetch): typeof fetch
  /** Wraps `navigate`: the authorization request and RP-initiated logout, before leaving the page. */
  observeNavigate(base: (url: string) => void): (url: string) => void
  /** The authorization response, read before `handleRedirectCallback` cleans the URL. */
  recordCallback(url: string): void
  /** SDK events: login, refresh, session end, errors. */
  observeEvents(auth: AuthClient): void
}

export function createWalkthrough(storage: Storage | undefined = sessionStorage): Walkthrough {
  let steps: Step[] = load()
  const listeners = new Set<() => void>()

  function load(): Step[] {
    try {
      const stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]') as unknown
      return Array.isArray(stored) ? (stored as Step[]) : []
    } catch {
      return []
    }
  }
  function add(fields: Omit<Step, 'at'>): Step {
    const step = { at: Date.now(), ...fields }
    steps = [...steps, step].slice(-MAX_STEPS)
    save()
    return step
  }
  /** Completes a step once its response body has been read (in the background). */
  function update(step: Step, fields: Partial<Step>) {
    steps = steps.map((s) => (s === step ? { ...step, ...fields } : s))
    save()
  }
  function save() {
    try {
      // Masked entries only (see above): the red line forbids secrets in web storage, not this.
      storage?.setItem(STORAGE_KEY, JSON.stringify(steps))
    } catch {
      // storage full or unavailable: the panel keeps working in memory
    }
    for (const listener of listeners) listener()
  }

  function requestParams(init: RequestInit | undefined): URLSearchParams | undefined {
    const body = init?.body
    if (body instanceof URLSearchParams) return body
    if (typeof body === 'string' && !body.startsWith('{')) return new URLSearchParams(body)
    return undefined
  }

  function proofRows(headers: Headers): Row[] {
    const proof = headers.get('dpop')
    if (!proof) return []
    const claims = decodeClaims(proof) ?? []
    const keep = claims.filter(([k]) => ['htm', 'htu', 'nonce'].includes(k))
    return [['DPoP', mask(proof)], ...keep.map(([k, v]): Row => [`DPoP proof ${k}`, v])]
  }

  /**
   * A copy of a small JSON body, read without holding the SDK up: the SDK gets the response at
   * once, and a body over 64 KiB (or not JSON) is not read further here.
   */
  async function peekJson(res: Response): Promise<Record<string, unknown>> {
    const reader = res.clone().body?.getReader()
    if (!reader) return {}
    const chunks: Uint8Array[] = []
    let size = 0
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        size += value.length
        if (size > 65_536) {
          await reader.cancel()
          return {}
        }
        chunks.push(value)
      }
      const bytes = new Uint8Array(size)
      let offset = 0
      for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.length
      }
      const json = JSON.parse(new TextDecoder().decode(bytes)) as unknown
      return json && typeof json === 'object' ? (json as Record<string, unknown>) : {}
    } catch {
      return {} // not JSON, or the body failed: the status is all there is to show
    }
  }

  /** A JSON answer as rows, every value not in PUBLIC masked, times made readable. */
  function answerRows(body: Record<string, unknown>): Row[] {
    return Object.entries(body).map(([k, v]): Row => {
      if (k === 'expires_in' && typeof v === 'number') {
        return [`← ${k}`, `${v} s (until ${time(Date.now() / 1000 + v)})`]
      }
      if (k === 'interval' && typeof v === 'number') return [`← ${k}`, `${v} s between polls`]
      return [`← ${k}`, show(k, typeof v === 'string' ? v : JSON.stringify(v))]
    })
  }

  const TOKEN_TITLES = {
    token: 'Token request: code exchange',
    refresh: 'Refresh: new tokens for the refresh token',
    poll: 'Token poll: device code grant (RFC 8628)',
  }

  async function tokenResponse(
    res: Response,
    kind: 'token' | 'refresh' | 'poll',
    sent: Row[],
    ms: string,
  ) {
    const outcome = `${res.status} · ${ms}`
    const step = add({ kind, title: TOKEN_TITLES[kind], outcome, rows: sent })
    const body = await peekJson(res)
    const rows: Row[] = [...sent, ...answerRows(body)]
    const claims: NonNullable<Step['claims']> = []
    for (const [k, v] of Object.entries(body)) {
      if ((k === 'id_token' || k === 'access_token') && typeof v === 'string') {
        const decoded = decodeClaims(v)
        if (decoded) {
          const idToken = k === 'id_token'
          claims.push({
            title: idToken ? 'ID token claims' : 'Access token claims (a JWT, RFC 9068)',
            rows: decoded,
            // the first ID token is the one to read; a refresh repeats it
            open: idToken && kind !== 'refresh',
          })
        }
      }
    }
    const nonce = res.headers.get('dpop-nonce')
    if (nonce) rows.push(['← DPoP-Nonce', mask(nonce)])
    if (kind === 'poll') {
      pollAnswer(step, typeof body.error === 'string' ? body.error : undefined, { rows, claims })
    } else {
      update(step, { rows, claims })
    }
  }

  /**
   * A device-flow poll, told by its answer. Polls still waiting for approval (every `interval`
   * seconds, for minutes) fold into one step with a count, so they do not push the device
   * authorization and the rest of the flow out of the panel.
   */
  function pollAnswer(step: Step, error: string | undefined, read: Pick<Step, 'rows' | 'claims'>) {
    const [status, ms] = (step.outcome ?? '').split(' · ')
    const { rows } = read
    if (error === 'authorization_pending') {
      const index = steps.indexOf(step)
      const before = steps[index - 1]
      const pendingBefore =
        before?.kind === 'poll' &&
        before.rows.some(([k, v]) => k === '← error' && v === 'authorization_pending')
      const outcome = `authorization_pending (${status}) · ${ms}`
      if (pendingBefore) {
        const count = (before.count ?? 1) + 1
        steps = steps.filter((s) => s !== step)
        update(before, {
          at: step.at,
          count,
          title: `Token poll: not approved yet (${count} polls)`,
          outcome,
          rows,
        })
      } else {
        update(step, { title: 'Token poll: not approved yet', outcome, rows, count: 1 })
      }
    } else if (error === 'slow_down') {
      update(step, {
        title: 'Token poll: polling too fast, the client now waits 5 s longer (RFC 8628 §3.5)',
        outcome: `slow_down (${status}) · ${ms}`,
        rows,
      })
    } else if (error === 'use_dpop_nonce') {
      update(step, {
        title: 'Token poll: the server wants a DPoP nonce, sent again with it',
        outcome: `use_dpop_nonce (${status}) · ${ms}`,
        rows,
      })
    } else if (error) {
      update(step, { title: `Token poll: ${error}`, rows })
    } else {
      update(step, { title: 'Token poll: approved, tokens issued', ...read })
    }
  }

  return {
    steps: () => steps,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    clear() {
      steps = []
      storage?.removeItem(STORAGE_KEY)
      for (const listener of listeners) listener()
    },

    observeFetch(base) {
      return async (input, init) => {
        const request = input instanceof Request ? input : undefined
        const url = new URL(request?.url ?? String(input))
        const method = (init?.method ?? request?.method ?? 'GET').toUpperCase()
        const headers = new Headers(init?.headers ?? request?.headers)
        const body = requestParams(init)
        const started = Date.now()
        let res: Response
        try {
          res = await base(input, init)
        } catch (err) {
          add({
            kind: 'event',
            title: `${method} ${url.origin}${url.pathname} failed`,
            outcome: 'network error',
            rows: [['error', `${(err as Error).name}: ${(err as Error).message}`]],
          })
          throw err
        }
        const ms = `${Date.now() - started} ms`
        const grant = body?.get('grant_type')

        if (
          /\/\.well-known\/(openid-configuration|oauth-authorization-server)/.test(url.pathname)
        ) {
          add({
            kind: 'discovery',
            title: 'Discovery',
            outcome: `${res.status} · ${ms}`,
            rows: [['GET', url.href]],
          })
        } else if (
          grant === 'authorization_code' ||
          grant === 'refresh_token' ||
          grant === DEVICE_GRANT
        ) {
          const sent: Row[] = [
            ['POST', `${url.origin}${url.pathname}`],
            ...(body ? params(body) : []),
            ...proofRows(headers),
          ]
          const kind =
            grant === 'refresh_token' ? 'refresh' : grant === DEVICE_GRANT ? 'poll' : 'token'
          void tokenResponse(res, kind, sent, ms)
        } else if (body?.has('token') && method === 'POST') {
          add({
            kind: 'revoke',
            title: 'Revocation (RFC 7009)',
            outcome: `${res.status} · ${ms}`,
            rows: [['POST', `${url.origin}${url.pathname}`], ...params(body)],
          })
        } else if (
          method === 'POST' &&
          body?.has('client_id') &&
          !grant &&
          !body.has('code_challenge') &&
          !body.has('response_type')
        ) {
          // The only form POST with client_id that is neither a token, revocation nor PAR
          // request: the device authorization request (RFC 8628 §3.1). Told by its shape, since
          // the metadata naming the endpoint may come from the SDK's cache, not the network.
          const sent: Row[] = [['POST', `${url.origin}${url.pathname}`], ...params(body)]
          const step = add({
            kind: 'device',
            title: 'Device authorization request (RFC 8628): a code for the other device',
            outcome: `${res.status} · ${ms}`,
            rows: sent,
          })
          void peekJson(res).then((answer) =>
            update(step, { rows: [...sent, ...answerRows(answer)] }),
          )
        } else if (body?.has('code_challenge')) {
          const sent: Row[] = [['POST', `${url.origin}${url.pathname}`], ...params(body)]
          const step = add({
            kind: 'par',
            title: 'Pushed authorization request (PAR)',
            outcome: `${res.status} · ${ms}`,
            rows: sent,
          })
          void peekJson(res).then(({ request_uri }) =>
            update(step, { rows: [...sent, ['← request_uri', String(request_uri ?? '')]] }),
          )
        } else {
          const auth = headers.get('authorization')
          const rows: Row[] = [
            [method, url.href],
            ['Authorization', auth ? authorization(auth) : '(none: origin not in allowedOrigins)'],
            ...proofRows(headers),
          ]
          const challenge = res.headers.get('www-authenticate')
          if (challenge) rows.push(['← WWW-Authenticate', challenge])
          const nonce = res.headers.get('dpop-nonce')
          if (nonce) rows.push(['← DPoP-Nonce', mask(nonce)])
          add({
            kind: 'api',
            title: `API call ${url.pathname}`,
            outcome: `${res.status} · ${ms}`,
            rows,
          })
        }
        return res
      }
    },

    observeNavigate(base) {
      return (href) => {
        const url = new URL(href)
        const p = url.searchParams
        if (p.has('id_token_hint') || p.has('post_logout_redirect_uri')) {
          add({
            kind: 'logout',
            title: 'RP-initiated logout: to the end-session endpoint',
            rows: [['GET', `${url.origin}${url.pathname}`], ...params(p)],
          })
        } else if (p.has('client_id')) {
          add({
            kind: 'authorize',
            title: p.has('request_uri')
              ? 'Authorization request (by reference, PAR)'
              : 'Authorization request: to the login page',
            rows: [['GET', `${url.origin}${url.pathname}`], ...params(p)],
          })
        }
        base(href)
      }
    },

    recordCallback(href) {
      const p = new URL(href).searchParams
      add({
        kind: 'callback',
        title: 'Callback: back from the authorization server',
        outcome: p.has('error') ? 'error' : undefined,
        rows: params(p),
      })
    },

    observeEvents(auth) {
      auth.on('loggedIn', ({ user }) =>
        add({ kind: 'event', title: 'Logged in', rows: [['sub', String(user.sub)]] }),
      )
      auth.on('tokenRefreshed', ({ resource, expiresAt }) =>
        add({
          kind: 'event',
          title: 'Token refreshed',
          rows: [
            ['resource', resource],
            ['expires', time(expiresAt / 1000)],
          ],
        }),
      )
      auth.on('sessionEnded', ({ reason, error }) =>
        add({
          kind: 'event',
          title: 'Session ended',
          outcome: reason,
          rows: error ? [['error', `${error.name}: ${error.message}`]] : [],
        }),
      )
      auth.on('error', ({ error }) =>
        add({
          kind: 'event',
          title: 'Error',
          outcome: error.code,
          rows: [['error', `${error.name}: ${error.message}`]],
        }),
      )
      auth.on('storageFallback', ({ reason }) =>
        add({ kind: 'event', title: 'Storage fell back to memory', rows: [['reason', reason]] }),
      )
    },
  }
}
