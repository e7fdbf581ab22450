import * as oauth from 'oauth4webapi'
import { describe, expect, test } from 'vitest'
import { toAuthError } from './classify.js'
import { send } from './http.js'
import {
  AuthError,
  InternalError,
  LoginRequiredError,
  NetworkError,
  OAuthError,
  TimeoutError,
} from './index.js'
import { FakeServer, idToken, json, oauthError } from './test/fake-server.js'
import { clock, loginFlow, makeClient } from './test/helpers.js'

const as: oauth.AuthorizationServer = {
  issuer: 'https://as.example',
  token_endpoint: 'https://as.example/token',
}
const client: oauth.Client = { client_id: 'spa' }

const thrownBy = async (response: Response): Promise<unknown> => {
  try {
    await oauth.processRefreshTokenResponse(as, client, response)
  } catch (err) {
    return err
  }
  throw new Error('expected oauth4webapi to throw')
}

/** Every string reachable from an error: message, own properties, cause chain. */
function strings(x: unknown, seen = new Set<unknown>()): string[] {
  if (typeof x === 'string') return [x]
  if (!x || typeof x !== 'object' || seen.has(x)) return []
  seen.add(x)
  const out: string[] = []
  if (x instanceof Error) out.push(x.message, x.stack ?? '', ...strings(x.cause, seen))
  for (const v of Object.values(x)) out.push(...strings(v, seen))
  return out
}

const SECRET_AT = 'at-SECRET-access-token-value'
const SECRET_RT = 'rt-SECRET-refresh-token-value'

describe('toAuthError', () => {
  test('a ResponseBodyError 400 → OAuthError with error and description', async () => {
    const raw = await thrownBy(oauthError('invalid_grant', 400, { error_description: 'expired' }))
    expect(raw).toBeInstanceOf(oauth.ResponseBodyError)
    const err = toAuthError(raw, 'Refreshing')
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).toMatchObject({ error: 'invalid_grant', error_description: 'expired', status: 400 })
    expect(err).not.toBeInstanceOf(NetworkError)
  })

  test('a 503 with Retry-After → NetworkError with retryAfter', async () => {
    const raw = await thrownBy(
      oauthError('temporarily_unavailable', 503, {}, { 'retry-after': '12' }),
    )
    const err = toAuthError(raw, 'Refreshing')
    expect(err).toBeInstanceOf(NetworkError)
    expect(err).toMatchObject({ status: 503, retryAfter: 12 })
    expect(err).toBeInstanceOf(NetworkError)
  })

  test('an empty 503 → NetworkError', async () => {
    const err = toAuthError(await thrownBy(new Response(null, { status: 503 })), 'x')
    expect(err).toBeInstanceOf(NetworkError)
    expect((err as NetworkError).status).toBe(503)
  })

  test('a 429 → NetworkError; a Retry-After date or garbage gives no retryAfter', async () => {
    const err = toAuthError(
      await thrownBy(oauthError('slow_down', 429, {}, { 'retry-after': 'soon' })),
      'x',
    )
    expect(err).toBeInstanceOf(NetworkError)
    expect((err as NetworkError).retryAfter).toBeUndefined()
  })

  test('fetch failing (offline, DNS, CORS) → NetworkError naming the host', async () => {
    const offline = () => Promise.reject(new TypeError('Failed to fetch'))
    const err = toAuthError(
      await send(offline, 'https://as.example/token').catch((e: unknown) => e),
      'Refreshing',
    )
    expect(err).toBeInstanceOf(NetworkError)
    expect(err).not.toBeInstanceOf(TimeoutError)
    expect(err.message).toContain('as.example')
  })

  test('a TypeError thrown anywhere else is a bug, never a network error', () => {
    const err = toAuthError(new TypeError('load is not a function'), 'Login')
    expect(err).toBeInstanceOf(InternalError)
    expect(err).not.toBeInstanceOf(NetworkError)
    expect(err.code).toBe('internal_error')
    expect(err.message).toContain('load is not a function')
  })

  test('a TimeoutError DOMException → TimeoutError', () => {
    const err = toAuthError(new DOMException('signal timed out', 'TimeoutError'), 'Refreshing')
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err.code).toBe('timeout')
    expect(err).toBeInstanceOf(NetworkError)
  })

  test('an AuthorizationResponseError login_required → LoginRequiredError; access_denied → OAuthError', () => {
    const run = (error: string) => {
      try {
        oauth.validateAuthResponse(
          as,
          client,
          new URLSearchParams({ error, state: 's', iss: as.issuer }),
          's',
        )
      } catch (e) {
        return toAuthError(e, 'Login')
      }
      throw new Error('expected a throw')
    }
    expect(run('login_required')).toBeInstanceOf(LoginRequiredError)
    expect(run('interaction_required')).toBeInstanceOf(LoginRequiredError)
    const denied = run('access_denied')
    expect(denied).toBeInstanceOf(OAuthError)
    expect((denied as OAuthError).error).toBe('access_denied')
  })

  test('a WWW-Authenticate challenge 401 → OAuthError (not transient)', async () => {
    const raw = await thrownBy(
      new Response(null, {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_client"' },
      }),
    )
    expect(raw).toBeInstanceOf(oauth.WWWAuthenticateChallengeError)
    const err = toAuthError(raw, 'x')
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).not.toBeInstanceOf(NetworkError)
  })

  test('an AuthError passes through unchanged', () => {
    const e = new LoginRequiredError()
    expect(toAuthError(e, 'x')).toBe(e)
  })

  test('an unknown thrown value becomes an AuthError', () => {
    expect(toAuthError('boom', 'x')).toBeInstanceOf(AuthError)
    expect(toAuthError(undefined, 'x')).toBeInstanceOf(AuthError)
  })

  test.each([
    ['a negative expires_in', { expires_in: -1 }],
    ['an unknown token_type', { token_type: 'mac' }],
    ['a numeric scope', { scope: 5 }],
    ['a non-string id_token', { id_token: 7 }],
  ])('a rejected 200 response (%s) leaks no token into the error', async (_n, patch) => {
    const raw = await thrownBy(
      json({
        access_token: SECRET_AT,
        refresh_token: SECRET_RT,
        token_type: 'Bearer',
        expires_in: 60,
        ...patch,
      }),
    )
    // oauth4webapi itself keeps the body in `cause`: our error must not.
    const err = toAuthError(raw, 'Refreshing')
    expect(err).toBeInstanceOf(AuthError)
    expect(err.cause).toBeUndefined()
    for (const s of strings(err)) {
      expect(s).not.toContain(SECRET_AT)
      expect(s).not.toContain(SECRET_RT)
    }
  })
})

describe('errors reaching the app carry no token', () => {
  test('a refresh rejected for a malformed response: error, state and events hold no token', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now, storage: 'memory' })
    await loginFlow(auth, server)
    const current = await auth.getAccessToken()
    const errors: unknown[] = []
    auth.on('error', (e) => errors.push(e.error))
    auth.on('sessionEnded', (e) => errors.push(e.error))
    server.tokenReplies.push((req, s) =>
      s.issue(req, { access_token: SECRET_AT, refresh_token: SECRET_RT, expires_in: -1 }),
    )
    c.advance(3600_000)
    const err = await auth.getAccessToken().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthError)
    const all = [...strings(err), ...strings(errors), ...strings(auth.getState().error)]
    for (const s of all) {
      expect(s).not.toContain(SECRET_AT)
      expect(s).not.toContain(SECRET_RT)
      expect(s).not.toContain(current)
    }
  })

  test('a code exchange with an ID token failing validation: the error holds no token', async () => {
    const server = new FakeServer()
    const now = Math.floor(Date.now() / 1000)
    const badId = idToken({
      iss: 'https://evil.example',
      aud: 'x',
      sub: 'u',
      iat: now,
      exp: now + 60,
    })
    server.tokenReplies.push((req, s) =>
      s.issue(req, { access_token: SECRET_AT, refresh_token: SECRET_RT, id_token: badId }),
    )
    const auth = makeClient(server, { storage: 'memory' })
    const err = await loginFlow(auth, server).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthError)
    for (const s of strings(err)) {
      expect(s).not.toContain(SECRET_AT)
      expect(s).not.toContain(SECRET_RT)
      expect(s).not.toContain(badId)
    }
  })
})
