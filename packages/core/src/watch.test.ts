import { describe, expect, test } from 'vitest'
import type { AccessTokenResult } from './index.js'
import { FakeServer, oauthError } from './test/fake-server.js'
import { clock, loginFlow, makeClient, settle, timers, until } from './test/helpers.js'
import { createTestAuthClient } from './testing.js'

const collect = () => {
  const seen: AccessTokenResult[] = []
  return { seen, last: () => seen.at(-1)!, listener: (r: AccessTokenResult) => seen.push(r) }
}

describe('watchAccessToken', () => {
  test('idle at once, then the token once storage is read; the same object while nothing changes', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    await loginFlow(auth, server)
    const w = collect()
    const stop = auth.watchAccessToken({}, w.listener)
    expect(w.seen[0]).toMatchObject({ status: 'idle', token: undefined, error: null })
    await until(() => w.last().status === 'ready')
    expect(w.last().token).toBe(await auth.getAccessToken())
    const count = w.seen.length
    await settle(20)
    expect(w.seen.length).toBe(count)
    expect(Object.isFrozen(w.last())).toBe(true)
    stop()
  })

  test('logout → error LoginRequiredError; login again → a new token', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    const w = collect()
    const stop = auth.watchAccessToken({}, w.listener)
    await until(() => w.last().status === 'ready')
    const first = w.last().token
    await auth.logout({ localOnly: true })
    await until(() => w.last().status === 'error')
    expect(w.last()).toMatchObject({ token: undefined, error: { code: 'login_required' } })
    await loginFlow(auth, server)
    await until(() => w.last().status === 'ready')
    expect(w.last().token).not.toBe(first)
    stop()
  })

  test('a refresh by the client shows the new token', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    await loginFlow(auth, server)
    const w = collect()
    const stop = auth.watchAccessToken({}, w.listener)
    await until(() => w.last().status === 'ready')
    const first = w.last().token
    c.advance(3600_000)
    const fresh = await auth.getAccessToken()
    await until(() => w.last().token === fresh)
    expect(fresh).not.toBe(first)
    stop()
  })

  test('with autoRefresh off, a held token is asked for again when it goes stale', async () => {
    const server = new FakeServer()
    const c = clock()
    const t = timers()
    const auth = makeClient(server, { now: c.now, autoRefresh: false, ...t })
    await loginFlow(auth, server)
    const w = collect()
    const stop = auth.watchAccessToken({ resource: 'https://api.example' }, w.listener)
    await until(() => w.last().status === 'ready')
    const first = w.last().token
    const due = t.active().at(-1)!
    expect(due.ms).toBeGreaterThan(3000_000) // one hour minus the leeway
    c.advance(3600_000)
    t.fire(due)
    await until(() => w.last().status === 'ready' && w.last().token !== first)
    stop()
    expect(t.active()).toHaveLength(0)
  })

  test('idle is delivered once, not twice', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    const w = collect()
    const stop = auth.watchAccessToken({}, w.listener)
    await until(() => w.last().status === 'ready')
    expect(w.seen.filter((r) => r.status === 'idle')).toHaveLength(1)
    stop()
  })

  test('after a passing fault the watcher asks again when the backoff ends, and recovers', async () => {
    const server = new FakeServer()
    const c = clock()
    const t = timers()
    const auth = makeClient(server, { now: c.now, autoRefresh: false, ...t })
    await loginFlow(auth, server)
    c.advance(3600_000) // the token expired
    server.tokenReplies.push(
      () => new Response('down', { status: 503, headers: { 'retry-after': '20' } }),
    )
    const w = collect()
    const stop = auth.watchAccessToken({}, w.listener)
    await until(() => w.last().status === 'error')
    expect(w.last().error).toMatchObject({ status: 503 })
    const retry = t.active().at(-1)!
    expect(retry.ms).toBe(20_000)
    c.advance(20_000)
    t.fire(retry)
    await until(() => w.last().status === 'ready')
    expect(w.last().token).toMatch(/^at-/)
    stop()
    expect(t.active()).toHaveLength(0)
  })

  test('scope step-up refused → error with the scope; the default watcher keeps its token', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    server.tokenReplies.push(() => oauthError('invalid_scope'))
    const plain = collect()
    const admin = collect()
    const stops = [
      auth.watchAccessToken({}, plain.listener),
      auth.watchAccessToken({ scope: 'admin' }, admin.listener),
    ]
    await until(() => admin.last().status === 'error' && plain.last().status === 'ready')
    expect(admin.last().error).toMatchObject({ code: 'login_required', scope: 'admin' })
    expect(auth.getState().status).toBe('authenticated')
    stops.forEach((s) => s())
  })

  test('after unsubscribe nothing more is delivered', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    const w = collect()
    const stop = auth.watchAccessToken({}, w.listener)
    stop()
    const count = w.seen.length
    await auth.logout({ localOnly: true })
    await settle(30)
    expect(w.seen.length).toBe(count)
  })

  test('the test double offers the same observer', async () => {
    const double = createTestAuthClient({ user: { sub: 'u1' }, token: 't-1' })
    const w = collect()
    const stop = double.watchAccessToken({}, w.listener)
    await until(() => w.last().status === 'ready')
    expect(w.last().token).toBe('t-1')
    double.signOut()
    await until(() => w.last().status === 'error')
    stop()
  })
})
