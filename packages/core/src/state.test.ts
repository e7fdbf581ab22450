import { describe, expect, test } from 'vitest'
import type { AuthState } from './index.js'
import { FakeServer, oauthError } from './test/fake-server.js'
import { clock, loginFlow, makeClient, uniqueClientId } from './test/helpers.js'

describe('state', () => {
  test('starts loading, then unauthenticated without a stored session', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    expect(auth.getState()).toMatchObject({
      status: 'loading',
      user: null,
      expiresAt: null,
      error: null,
    })
    await auth.ready
    expect(auth.getState()).toMatchObject({
      status: 'unauthenticated',
      user: null,
      expiresAt: null,
    })
  })

  test('status transitions loading → unauthenticated → authenticated, each notified', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    const seen: AuthState['status'][] = []
    auth.subscribe(() => seen.push(auth.getState().status))
    await loginFlow(auth, server)
    expect(seen[0]).toBe('unauthenticated')
    expect(seen.at(-1)).toBe('authenticated')
    const s = auth.getState()
    expect(s.status === 'authenticated' && s.expiresAt).toBe(c.t + 3600_000)
  })

  test('loading → authenticated for a stored session', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId()
    await loginFlow(makeClient(server, { clientId }), server)
    const next = makeClient(server, { clientId })
    const seen: string[] = [next.getState().status]
    next.subscribe(() => seen.push(next.getState().status))
    await next.ready
    expect(seen).toEqual(['loading', 'authenticated'])
  })

  test('snapshots keep their identity when nothing changed', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    const a = auth.getState()
    let calls = 0
    auth.subscribe(() => calls++)
    await auth.getAccessToken()
    await auth.getAccessToken()
    expect(auth.getState()).toBe(a)
    expect(calls).toBe(0)
  })

  test('a snapshot changes identity when the state changes, and is not mutated', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    await loginFlow(auth, server)
    const before = auth.getState()
    const copy = structuredClone({ ...before, error: null })
    c.advance(3600_000)
    await auth.getAccessToken()
    const after = auth.getState()
    expect(after).not.toBe(before)
    expect(after.expiresAt).not.toBe(before.expiresAt)
    expect({ ...before, error: null }).toEqual(copy)
  })

  test('subscribe / unsubscribe', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    let calls = 0
    const off = auth.subscribe(() => calls++)
    await auth.ready
    expect(calls).toBe(1)
    off()
    await loginFlow(auth, server)
    expect(calls).toBe(1)
  })

  test("on('tokenRefreshed') fires with resource and expiresAt; its unsubscribe works", async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    await loginFlow(auth, server)
    const events: unknown[] = []
    const off = auth.on('tokenRefreshed', (e) => events.push(e))
    c.advance(3600_000)
    await auth.getAccessToken()
    expect(events).toEqual([{ resource: '', expiresAt: c.t + 3600_000 }])
    off()
    c.advance(3600_000)
    await auth.getAccessToken()
    expect(events).toHaveLength(1)
  })

  test("on('loggedIn') fires with the user", async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    const events: unknown[] = []
    auth.on('loggedIn', (e) => events.push(e))
    await loginFlow(auth, server)
    expect(events).toEqual([{ user: expect.objectContaining({ sub: 'user-1' }) }])
  })

  test('the state holds the user, not tokens', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    const token = await auth.getAccessToken()
    const text = JSON.stringify(auth.getState())
    expect(text).toContain('user-1')
    expect(text).not.toContain(token)
    expect(text).not.toContain('rt-')
    expect(text).not.toContain('.sig')
  })

  test('a failed callback sets state.error and an error event', async () => {
    const server = new FakeServer()
    server.tokenReplies.push(() => oauthError('invalid_grant'))
    const auth = makeClient(server)
    const errors: unknown[] = []
    auth.on('error', (e) => errors.push(e.error))
    const err = await loginFlow(auth, server).catch((e: unknown) => e)
    expect(auth.getState().error).toBe(err)
    expect(errors).toContain(err)
  })

  test('destroy() stops notifications', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    let calls = 0
    auth.subscribe(() => calls++)
    auth.destroy()
    await auth.ready
    expect(calls).toBe(0)
    expect(auth.getState().status).toBe('loading')
  })
})
