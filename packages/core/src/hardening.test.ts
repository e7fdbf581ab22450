import 'fake-indexeddb/auto'
import { describe, expect, test } from 'vitest'
import { dpop } from './index.js'
import { b64uJson, FakeServer } from './test/fake-server.js'
import {
  clock,
  errorOf,
  idb,
  loginFlow,
  makeClient,
  REDIRECT_URI,
  rewriteIdToken,
  uniqueClientId,
} from './test/helpers.js'

describe('ID token algorithm', () => {
  test('an unsigned ID token (alg none) is refused even when the server lists none', async () => {
    const server = new FakeServer({
      metadata: { id_token_signing_alg_values_supported: ['RS256', 'none'] },
    })
    const auth = makeClient(server, {
      fetch: rewriteIdToken(
        server,
        (_, claims) => `${b64uJson({ alg: 'none' })}.${b64uJson(claims)}.`,
      ),
    })
    const err = await errorOf(loginFlow(auth, server))
    expect(err).toBeInstanceOf(Error)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('a server whose metadata lists no ID token algorithms may sign with ES256', async () => {
    const server = new FakeServer({
      metadata: { id_token_signing_alg_values_supported: undefined },
    })
    const auth = makeClient(server, {
      fetch: rewriteIdToken(
        server,
        (_, claims) => `${b64uJson({ alg: 'ES256', typ: 'JWT' })}.${b64uJson(claims)}.sig`,
      ),
    })
    await loginFlow(auth, server)
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('authorization request parameters', () => {
  test('extraParams such as prompt and max_age reach the server, and max_age is enforced', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, {
      extraParams: { prompt: 'login', max_age: '0', ui_locales: 'de' },
    })
    await auth.login()
    const url = server.lastNavigation()
    expect(url.searchParams.get('prompt')).toBe('login')
    expect(url.searchParams.get('max_age')).toBe('0')
    expect(url.searchParams.get('ui_locales')).toBe('de')
    // The fake server's ID token has no auth_time: with max_age asked for, that is refused.
    const err = await errorOf(auth.handleRedirectCallback(server.authorize(url.href)))
    expect(err).toMatchObject({ code: 'oauth_error', error: 'invalid_response' })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('the SDK’s own parameters cannot be overridden by extraParams', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, {
      extraParams: {
        code_challenge_method: 'plain',
        state: 'fixed',
        redirect_uri: 'https://evil.example/',
      },
    })
    await auth.login()
    const url = server.lastNavigation()
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('state')).not.toBe('fixed')
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI)
  })
})

describe('the same callback in two tabs at once', () => {
  test('exchanges the code once: the transaction is taken atomically', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId('twotabs')
    const a = makeClient(server, { clientId })
    const b = makeClient(server, { clientId })
    await a.login()
    const callback = server.authorize(server.lastNavigation().href)
    const results = await Promise.allSettled([
      a.handleRedirectCallback(callback),
      b.handleRedirectCallback(callback),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(
      server.tokenRequests.filter((r) => r.form.get('grant_type') === 'authorization_code'),
    ).toHaveLength(1)
  })
})

describe('DPoP key and session stay paired', () => {
  test('a stored session whose key was replaced by another login ends cleanly on load', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId('jkt')
    const c = clock()
    const first = makeClient(server, { clientId, dpop, now: c.now })
    await loginFlow(first, server)
    // Another tab's login stored a different key pair.
    const other = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])
    await idb.set(server.issuer, clientId, 'dpop', other)
    const reloaded = makeClient(server, { clientId, dpop, now: c.now })
    await reloaded.ready
    expect(reloaded.getState()).toMatchObject({
      status: 'unauthenticated',
      error: { code: 'dpop_error' },
    })
  })
})
