import { describe, expect, test } from 'vitest'
import { createAuthFetch } from './index.js'
import { FakeServer, json } from './test/fake-server.js'
import type { RecordedRequest } from './test/fake-server.js'
import { loginFlow, makeClient } from './test/helpers.js'
import type { ClientOptions } from './test/helpers.js'

const ALLOWED = ['https://api.example', 'https://cdn.example/v1/']

async function setup(options: ClientOptions = {}) {
  const server = new FakeServer()
  const auth = makeClient(server, { allowedOrigins: ALLOWED, ...options })
  await loginFlow(auth, server)
  const token = await auth.getAccessToken()
  const api = (): RecordedRequest[] =>
    server.requests.filter((r) => !r.url.startsWith(server.issuer))
  return { server, auth, token, api }
}

describe('auth.fetch', () => {
  test.each([
    ['https://api.example/items'],
    ['https://api.example'],
    ['https://API.EXAMPLE/items?q=1'],
    ['https://api.example:443/items'],
    ['https://cdn.example/v1/file'],
    ['https://cdn.example/v1'],
  ])('adds the Bearer token for %s', async (url) => {
    const { auth, token, api } = await setup()
    const res = await auth.fetch(url)
    expect(res.status).toBe(200)
    expect(api()[0]!.headers.get('authorization')).toBe(`Bearer ${token}`)
  })

  test.each([
    ['https://api.example.evil.com/'],
    ['http://api.example/'],
    ['https://api.example:8443/'],
    ['https://api.example@evil.com/'],
    ['https://evil.com/?u=https://api.example'],
    ['https://cdn.example/v10'],
    ['https://cdn.example/v2/file'],
    ['https://cdn.example/'],
    ['https://xapi.example/'],
    ['data:text/plain,hello'],
    ['blob:https://api.example/0e9b1d5f-5c5f-4a3e-8d3b-1d1a1a1a1a1a'],
  ])('sends no token to %s', async (url) => {
    const { auth, api, token } = await setup()
    await auth.fetch(url).catch(() => {})
    for (const r of api()) {
      expect(r.headers.has('authorization')).toBe(false)
      expect(r.url).not.toContain(token)
      expect(r.headers.has('dpop')).toBe(false)
    }
  })

  test('untouched requests keep method, headers, body and redirect mode', async () => {
    const { auth, api } = await setup()
    await auth.fetch('https://other.example/x', {
      method: 'PUT',
      headers: { 'x-custom': '1', 'content-type': 'text/plain' },
      body: 'payload',
    })
    const [r] = api()
    expect(r).toMatchObject({ method: 'PUT', body: 'payload', redirect: 'follow' })
    expect(r!.headers.get('x-custom')).toBe('1')
    expect(r!.headers.has('authorization')).toBe(false)
  })

  test('an untouched Request object with a body is sent intact', async () => {
    const { auth, api } = await setup()
    await auth.fetch(new Request('https://other.example/x', { method: 'POST', body: 'payload' }))
    expect(api()[0]).toMatchObject({ method: 'POST', body: 'payload' })
  })

  test("the caller's own Authorization header is respected", async () => {
    const { auth, api } = await setup()
    await auth.fetch('https://api.example/x', { headers: { Authorization: 'Basic abc' } })
    expect(api()[0]!.headers.get('authorization')).toBe('Basic abc')
  })

  test("a token-carrying request does not follow redirects (redirect: 'manual')", async () => {
    const { auth, api } = await setup()
    await auth.fetch('https://api.example/x')
    expect(api()[0]!.redirect).toBe('manual')
  })

  test('Request objects, URL objects and strings; method, headers and body are kept', async () => {
    const { auth, api, token } = await setup()
    await auth.fetch(
      new Request('https://api.example/r', {
        method: 'POST',
        headers: { 'x-a': '1' },
        body: 'one',
      }),
    )
    await auth.fetch(new URL('https://api.example/u'), {
      method: 'PATCH',
      headers: { 'x-b': '2' },
      body: 'two',
    })
    await auth.fetch('https://api.example/s', { method: 'DELETE', headers: { 'x-c': '3' } })
    const [r, u, s] = api()
    expect(r).toMatchObject({ url: 'https://api.example/r', method: 'POST', body: 'one' })
    expect(r!.headers.get('x-a')).toBe('1')
    expect(u).toMatchObject({ url: 'https://api.example/u', method: 'PATCH', body: 'two' })
    expect(u!.headers.get('x-b')).toBe('2')
    expect(s).toMatchObject({ url: 'https://api.example/s', method: 'DELETE' })
    expect(s!.headers.get('x-c')).toBe('3')
    for (const x of [r, u, s]) expect(x!.headers.get('authorization')).toBe(`Bearer ${token}`)
  })

  test('the token is never put in the query string', async () => {
    const { auth, api, token } = await setup()
    await auth.fetch('https://api.example/x?a=1')
    expect(api()[0]!.url).toBe('https://api.example/x?a=1')
    expect(api()[0]!.url).not.toContain(token)
  })

  test('401 invalid_token → one refresh and one retry with the new token', async () => {
    const { server, auth, api, token } = await setup()
    server.apiReplies.push(() =>
      json({}, 401, { 'www-authenticate': 'Bearer error="invalid_token"' }),
    )
    const res = await auth.fetch('https://api.example/x', { method: 'POST', body: 'again' })
    expect(res.status).toBe(200)
    expect(server.tokenRequests).toHaveLength(2)
    const [first, second] = api()
    expect(first!.headers.get('authorization')).toBe(`Bearer ${token}`)
    expect(second!.headers.get('authorization')).not.toBe(`Bearer ${token}`)
    expect(second!.body).toBe('again')
  })

  test('a second 401 is returned, not looped', async () => {
    const { server, auth, api } = await setup()
    const reply = () => json({}, 401, { 'www-authenticate': 'Bearer error="invalid_token"' })
    server.apiReplies.push(reply, reply, reply, reply)
    const res = await auth.fetch('https://api.example/x')
    expect(res.status).toBe(401)
    expect(api()).toHaveLength(2)
    expect(server.tokenRequests).toHaveLength(2)
  })

  test('a ReadableStream body is not retried', async () => {
    const { server, auth, api } = await setup()
    server.apiReplies.push(() =>
      json({}, 401, { 'www-authenticate': 'Bearer error="invalid_token"' }),
    )
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('stream'))
        c.close()
      },
    })
    const res = await auth.fetch('https://api.example/x', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(401)
    expect(api()).toHaveLength(1)
  })

  test('403 insufficient_scope → no refresh, the response is returned', async () => {
    const { server, auth, api } = await setup()
    server.apiReplies.push(() =>
      json({}, 403, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="admin"' }),
    )
    const res = await auth.fetch('https://api.example/x')
    expect(res.status).toBe(403)
    expect(server.tokenRequests).toHaveLength(1)
    expect(api()).toHaveLength(1)
  })

  test('per-resource tokens: a { url, resource } entry gets its own token, requested with resource', async () => {
    const { server, auth, api, token } = await setup({
      allowedOrigins: [
        'https://api.example',
        { url: 'https://billing.example', resource: 'urn:billing' },
      ],
    })
    await auth.fetch('https://billing.example/invoices')
    const refresh = server.tokenRequests[1]!
    expect(refresh.form.get('grant_type')).toBe('refresh_token')
    expect(refresh.form.get('resource')).toBe('urn:billing')
    const auth1 = api()[0]!.headers.get('authorization')
    expect(auth1).toMatch(/^Bearer at-/)
    expect(auth1).not.toBe(`Bearer ${token}`)
    await auth.fetch('https://api.example/x')
    expect(api()[1]!.headers.get('authorization')).toBe(`Bearer ${token}`)
  })

  test('not logged in: a request to an allowed origin fails with LoginRequiredError and is not sent', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { allowedOrigins: ALLOWED })
    await expect(auth.fetch('https://api.example/x')).rejects.toMatchObject({
      code: 'login_required',
    })
    expect(server.requests).toHaveLength(0)
  })

  test('createAuthFetch with its own allowedOrigins', async () => {
    const { auth, api, token } = await setup({ allowedOrigins: [] })
    const f = createAuthFetch(auth, { allowedOrigins: ['https://other-api.example'] })
    await f('https://other-api.example/x')
    await f('https://api.example/x')
    expect(api()[0]!.headers.get('authorization')).toBe(`Bearer ${token}`)
    expect(api()[1]!.headers.has('authorization')).toBe(false)
  })

  test('the global fetch is not patched', async () => {
    const before = globalThis.fetch
    await setup()
    expect(globalThis.fetch).toBe(before)
  })
})
