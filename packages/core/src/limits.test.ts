import { describe, expect, test } from 'vitest'
import { NetworkError } from './index.js'
import { MAX_BODY, send } from './http.js'
import { FakeServer, json } from './test/fake-server.js'
import { clock, errorOf, loginFlow, makeClient } from './test/helpers.js'

// Responses of unbounded size (issue 12): refused with a typed error, nothing kept.

const huge = () => new Response('x'.repeat(MAX_BODY + 1), { status: 200 })

describe('response size limits', () => {
  test('a token response over 1 MiB at refresh → NetworkError, the session and its refresh token kept', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    await loginFlow(auth, server)
    const before = await auth.getAccessToken()
    server.tokenReplies.push(huge)
    c.advance(3600_000)
    const err = await errorOf(auth.getAccessToken())
    expect(err).toBeInstanceOf(NetworkError)
    expect((err as Error).message).toContain('over 1 MiB')
    expect(auth.getState().status).toBe('authenticated')
    c.advance(5000)
    expect(await auth.getAccessToken()).not.toBe(before)
  })

  test('metadata over 1 MiB → refused at discovery', async () => {
    const server = new FakeServer()
    const fetch: typeof globalThis.fetch = async (input, init) =>
      String(input).includes('/.well-known/')
        ? json({ ...server.metadata, padding: 'x'.repeat(MAX_BODY) })
        : server.fetch(input, init)
    const auth = makeClient(server, { fetch })
    expect(await errorOf(auth.login())).toBeInstanceOf(NetworkError)
    expect(server.navigations).toEqual([])
  })

  test('a declared Content-Length over the limit is refused without reading the body', async () => {
    let pulled = 0
    const body = new ReadableStream({
      pull(ctl) {
        pulled++
        ctl.enqueue(new Uint8Array(10))
      },
    })
    const res = new Response(body, { headers: { 'content-length': String(MAX_BODY * 8) } })
    const err = await errorOf(send(async () => res, 'https://as.example/token'))
    expect(err).toBeInstanceOf(NetworkError)
    expect(pulled).toBeLessThanOrEqual(1)
  })

  test('a body cut mid-way → NetworkError naming the host', async () => {
    const body = new ReadableStream({
      start(ctl) {
        ctl.enqueue(new TextEncoder().encode('{"access_token":"at'))
        ctl.error(new TypeError('network error'))
      },
    })
    const err = await errorOf(send(async () => new Response(body), 'https://as.example/token'))
    expect(err).toBeInstanceOf(NetworkError)
    expect((err as Error).message).toContain('as.example')
  })

  test('a normal answer passes through unchanged', async () => {
    const res = await send(async () => json({ a: 1 }, 201, { 'x-y': 'z' }), 'https://as.example/x')
    expect(res.status).toBe(201)
    expect(res.headers.get('x-y')).toBe('z')
    expect(await res.json()).toEqual({ a: 1 })
  })
})
