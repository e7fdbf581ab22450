import * as oauth from 'oauth4webapi'
import { describe, expect, test } from 'vitest'
import { decide, MAX_BACKOFF, SILENT_ATTEMPTS, toAuthError, type Asked } from './classify.js'
import { send } from './http.js'
import {
  AuthError,
  InternalError,
  LoginRequiredError,
  NetworkError,
  OAuthError,
  StorageError,
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

  test('a 429 → NetworkError; garbage or a date past gives no retryAfter', async () => {
    for (const header of ['soon', '-5', new Date(Date.now() - 60_000).toUTCString()]) {
      const err = toAuthError(
        await thrownBy(oauthError('slow_down', 429, {}, { 'retry-after': header })),
        'x',
      )
      expect(err).toBeInstanceOf(NetworkError)
      expect((err as NetworkError).retryAfter).toBeUndefined()
    }
  })

  test('a Retry-After HTTP date → the seconds until then', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString()
    const err = toAuthError(
      await thrownBy(oauthError('temporarily_unavailable', 503, {}, { 'retry-after': at })),
      'x',
    )
    expect((err as NetworkError).retryAfter).toBeGreaterThanOrEqual(88)
    expect((err as NetworkError).retryAfter).toBeLessThanOrEqual(91)
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

describe('decide: the one verdict on a failed refresh', () => {
  const net = (status?: number, retryAfter?: number) => new NetworkError('x', status, retryAfter)
  const oauthErr = (error: string, status?: number) => new OAuthError(error, undefined, status)
  test.each<[string, AuthError, number, Asked, string, number?]>([
    ['invalid_grant 400', oauthErr('invalid_grant', 400), 0, {}, 'end'],
    ['invalid_grant 403 (Auth0)', oauthErr('invalid_grant', 403), 0, {}, 'end'],
    ['invalid_request 400', oauthErr('invalid_request', 400), 0, {}, 'end'],
    ['empty 400', oauthErr('http_400', 400), 0, {}, 'end'],
    ['401 invalid_client', oauthErr('invalid_client', 401), 0, {}, 'end'],
    ['identity changed', new LoginRequiredError('x', 'identity_changed'), 0, {}, 'end'],
    [
      'login_required (silent)',
      new LoginRequiredError('x', 'login_required'),
      0,
      { silent: true },
      'end',
    ],
    ['use_dpop_nonce', oauthErr('use_dpop_nonce', 400), 0, {}, 'retry', 5000],
    ['invalid_dpop_proof', oauthErr('invalid_dpop_proof', 400), 0, {}, 'retry', 5000],
    ['server_error (error= response)', oauthErr('server_error'), 0, {}, 'retry', 5000],
    ['temporarily_unavailable', oauthErr('temporarily_unavailable'), 1, {}, 'retry', 10_000],
    ['unknown_error', oauthErr('unknown_error', 200), 2, {}, 'retry', 20_000],
    ['network', net(), 0, {}, 'retry', 5000],
    ['503 Retry-After 5', net(503, 5), 3, {}, 'retry', 5000],
    ['429 Retry-After 1 day → capped', net(429, 86400), 0, {}, 'retry', MAX_BACKOFF],
    ['network, 10th failure → capped', net(), 9, {}, 'retry', MAX_BACKOFF],
    ['timeout', new TimeoutError('x'), 0, {}, 'retry', 5000],
    ['silent timeout, 1st', new TimeoutError('x'), 0, { silent: true }, 'retry', 5000],
    ['silent timeout, 3rd', new TimeoutError('x'), SILENT_ATTEMPTS - 1, { silent: true }, 'end'],
    ['storage', new StorageError('x'), 0, {}, 'retry', 5000],
    ['a bug', new InternalError('x'), 0, {}, 'retry', 5000],
    [
      'invalid_scope for extra scopes',
      oauthErr('invalid_scope', 400),
      0,
      { scope: 'admin' },
      'keep',
    ],
    ['invalid_scope without extra scopes', oauthErr('invalid_scope', 400), 0, {}, 'end'],
    [
      'invalid_target for another API',
      oauthErr('invalid_target', 400),
      0,
      { resource: 'https://other.example' },
      'keep',
    ],
    ['invalid_target for the login’s API', oauthErr('invalid_target', 400), 0, {}, 'end'],
  ])('%s → %s', (_name, error, failures, how, action, afterMs) => {
    const verdict = decide(error, failures, how)
    expect(verdict.action).toBe(action)
    if (action === 'retry') expect(verdict).toMatchObject({ afterMs, error })
    else if (how.resource)
      expect(verdict.error).toMatchObject({ error: 'invalid_target', status: 400 })
    else expect(verdict.error).toBeInstanceOf(LoginRequiredError)
    if (action === 'keep' && how.scope) expect(verdict.error).toMatchObject({ scope: how.scope })
  })
})
