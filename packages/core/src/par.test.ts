import { describe, expect, test } from 'vitest'
import { dpop } from './dpop.js'
import { FakeServer, json, oauthError, type Reply } from './test/fake-server.js'
import { errorOf, loginFlow, makeClient, popupLoginFlow } from './test/helpers.js'

describe('pushed authorization requests (RFC 9126)', () => {
  test('required by the metadata: the parameters are pushed, the browser carries client_id and request_uri only', async () => {
    const server = new FakeServer({ metadata: { require_pushed_authorization_requests: true } })
    const auth = makeClient(server, { clientId: 'par-app' })
    const { authorizationUrl } = await loginFlow(auth, server)
    expect([...authorizationUrl.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(authorizationUrl.searchParams.get('client_id')).toBe('par-app')
    const pushed = server.sent('pushed_authorization_request_endpoint')[0]!.form
    expect(pushed.get('code_challenge_method')).toBe('S256')
    expect(pushed.get('state')).toBeTruthy()
    expect(pushed.get('redirect_uri')).toBe('http://localhost:5173/callback')
    expect(auth.getState().status).toBe('authenticated')
  })

  test('par: true pushes even when the server does not require it; off by default', async () => {
    const server = new FakeServer()
    await loginFlow(makeClient(server), server)
    expect(server.sent('pushed_authorization_request_endpoint')).toHaveLength(0)
    const auth = makeClient(server, { par: true })
    const { authorizationUrl } = await loginFlow(auth, server)
    expect(authorizationUrl.searchParams.has('request_uri')).toBe(true)
    expect(server.sent('pushed_authorization_request_endpoint')).toHaveLength(1)
  })

  test('with DPoP the push carries a proof; works for popup logins', async () => {
    const server = new FakeServer({ metadata: { require_pushed_authorization_requests: true } })
    const auth = makeClient(server, { dpop, storage: 'memory' })
    await popupLoginFlow(auth, server, { popup: true })
    const push = server.sent('pushed_authorization_request_endpoint')[0]!
    expect(push.headers.has('dpop')).toBe(true)
    expect(push.form.get('dpop_jkt')).toBeTruthy()
    expect(auth.getState().status).toBe('authenticated')
  })

  test('par: true against a server without a PAR endpoint is a ConfigurationError', async () => {
    const server = new FakeServer({
      metadata: { pushed_authorization_request_endpoint: undefined },
    })
    const auth = makeClient(server, { par: true })
    expect(await errorOf(auth.login())).toMatchObject({ code: 'configuration_error' })
    expect(server.navigations).toHaveLength(0)
  })

  test('the option is checked at creation', () => {
    expect(() => makeClient(new FakeServer(), { par: 'yes' as never })).toThrow(/par/)
  })

  /** A PAR endpoint that answers with `status` (RFC 9126 says 201) and `body` (default: valid). */
  const answering =
    (status: number, body?: Record<string, unknown>): Reply =>
    (req, server) => {
      const requestUri = `urn:ietf:params:oauth:request_uri:${crypto.randomUUID()}`
      server.pushed.set(requestUri, req.form)
      return json(body ?? { request_uri: requestUri, expires_in: 60 }, status)
    }

  test('a server answering 200 instead of 201 with a valid body: the login works', async () => {
    const server = new FakeServer({ metadata: { require_pushed_authorization_requests: true } })
    server.parReplies.push(answering(200))
    const auth = makeClient(server)
    const { authorizationUrl } = await loginFlow(auth, server)
    expect(authorizationUrl.searchParams.get('request_uri')).toMatch(/^urn:ietf:params/)
    expect(auth.getState().status).toBe('authenticated')
  })

  test.each([
    ['200 without request_uri', answering(200, { expires_in: 60 })],
    ['200 without expires_in', answering(200, { request_uri: 'urn:x' })],
    ['202', answering(202)],
    ['400 invalid_request', () => oauthError('invalid_request')],
  ])('%s is still refused, nothing navigated', async (_, reply) => {
    const server = new FakeServer({ metadata: { require_pushed_authorization_requests: true } })
    server.parReplies.push(reply)
    const auth = makeClient(server)
    expect(await errorOf(auth.login())).toBeDefined()
    expect(server.navigations).toHaveLength(0)
  })
})
