import { describe, expect, test } from 'vitest'
import { FakeServer } from './test/fake-server.js'
import {
  clock,
  loginFlow,
  makeClient,
  settle,
  timers,
  uniqueClientId,
  until,
} from './test/helpers.js'

const input = () => window.dispatchEvent(new Event('keydown'))

async function setup(idleTimeout = 60, idleWarning = 10) {
  const server = new FakeServer()
  const c = clock()
  const t = timers()
  const clientId = uniqueClientId('idle')
  const opts = { clientId, now: c.now, idleTimeout, idleWarning, ...t }
  const a = makeClient(server, opts)
  await loginFlow(a, server)
  await until(() => t.active().length > 0) // the idle chunk loaded and planned its first check
  const events: string[] = []
  a.on('idle-warning', (e) => events.push(`warning ${e.remaining}`))
  a.on('idle-reset', () => events.push('reset'))
  a.on('sessionEnded', (e) => events.push(`ended ${e.reason}`))
  // Fires every due timer (idle checks) after moving the clock.
  const wait = async (ms: number) => {
    c.advance(ms)
    for (const timer of t.active()) t.fire(timer)
    await settle(10)
  }
  return { server, c, t, a, events, wait, opts }
}

describe('idleTimeout', () => {
  test('a warning before the timeout, then the session ends like a logout (revocation, no navigation)', async () => {
    const { server, a, events, wait } = await setup()
    await wait(49_000)
    expect(events).toEqual([])
    await wait(1000)
    expect(events).toEqual(['warning 10'])
    await wait(10_000)
    await until(() => a.getState().status === 'unauthenticated')
    expect(events).toEqual(['warning 10', 'ended idle'])
    await until(() => server.sent('revocation_endpoint').length > 0)
    expect(server.navigations.filter((u) => u.includes('/logout'))).toEqual([])
  })

  test('any input cancels the warning and starts the countdown again', async () => {
    const { a, events, wait } = await setup()
    await wait(52_000)
    expect(events).toEqual(['warning 8'])
    input()
    expect(events).toEqual(['warning 8', 'reset'])
    await wait(40_000)
    expect(a.getState().status).toBe('authenticated')
    await wait(20_000)
    await until(() => a.getState().status === 'unauthenticated')
  })

  test('input in another tab keeps this one alive; the end reaches every tab', async () => {
    const { server, c, a, wait, opts } = await setup()
    const b = makeClient(server, { ...opts, setTimeout: () => 0, clearTimeout: () => {} })
    await b.ready
    await settle(20)
    await wait(40_000)
    // The input happens in tab b: its message moves tab a's countdown.
    const bc = new BroadcastChannel(`oauth-spa:${server.issuer}|${opts.clientId}:idle`)
    bc.postMessage({ at: c.now() })
    bc.close()
    await settle(20)
    await wait(40_000)
    expect(a.getState().status).toBe('authenticated')
    await wait(30_000)
    await until(() => a.getState().status === 'unauthenticated')
    await until(() => b.getState().status === 'unauthenticated')
  })

  test('off by default: nothing listens, nothing is planned', async () => {
    const server = new FakeServer()
    const t = timers()
    const a = makeClient(server, { ...t })
    await loginFlow(a, server)
    await settle(20)
    expect(t.active()).toEqual([])
  })

  test('a refresh is not activity; a new login is', async () => {
    const { a, server, events, wait } = await setup()
    await wait(30_000)
    await a.getAccessToken({ forceRefresh: true })
    await wait(20_000)
    expect(events).toEqual(['warning 10'])
    await a.logout({ localOnly: true })
    await loginFlow(a, server)
    await wait(49_000)
    expect(a.getState().status).toBe('authenticated')
  })
})
