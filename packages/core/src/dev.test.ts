import { afterEach, describe, expect, test, vi } from 'vitest'
import { FakeServer } from './test/fake-server.js'
import { loginFlow, makeClient, REDIRECT_URI, settle, timers } from './test/helpers.js'

const warns = () => vi.spyOn(console, 'warn').mockImplementation(() => {})

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
  history.replaceState(null, '', '/')
})

describe('development warnings', () => {
  test('auth.fetch to an origin not in allowedOrigins: sent without a token, and the developer is told once', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { allowedOrigins: ['https://api.example'] })
    await loginFlow(auth, server)
    const warn = warns()
    await auth.fetch('https://elsewhere.example/a')
    await auth.fetch('https://elsewhere.example/b')
    await auth.fetch('https://api.example/notes')
    await settle(20) // the warning loads on demand
    expect(server.requests.at(-2)?.headers.has('authorization')).toBe(false)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toContain('https://elsewhere.example')
    expect(warn.mock.calls[0]![0]).toContain('allowedOrigins')
    expect(warn.mock.calls[0]![0]).not.toMatch(/at-/)
  })

  test('a production build does not warn', async () => {
    vi.stubEnv('NODE_ENV', 'production') // what bundlers put in a production build
    const server = new FakeServer()
    const auth = makeClient(server, { allowedOrigins: ['https://api.example'] })
    await loginFlow(auth, server)
    const warn = warns()
    await auth.fetch('https://quiet.example/a')
    await settle(20)
    expect(warn).not.toHaveBeenCalled()
  })

  test('a login response left in the URL is reported after a while, without the code', async () => {
    const path = new URL(REDIRECT_URI).pathname
    history.replaceState(null, '', `${path}?code=secret-code&state=s1`)
    const t = timers()
    const warn = warns()
    makeClient(new FakeServer(), t)
    await settle(5)
    expect(warn).not.toHaveBeenCalled()
    for (const timer of t.active().filter((x) => x.ms === 3000)) t.fire(timer)
    await settle(20)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toContain('handleRedirectCallback')
    expect(warn.mock.calls[0]![0]).not.toContain('secret-code')
  })

  test('a handled login response, or a page that is not the callback, gives no warning', async () => {
    const path = new URL(REDIRECT_URI).pathname
    history.replaceState(null, '', `${path}?code=c&state=unknown`)
    const t = timers()
    const warn = warns()
    const auth = makeClient(new FakeServer(), t)
    await auth.handleRedirectCallback().catch(() => {})
    for (const timer of t.active().filter((x) => x.ms === 3000)) t.fire(timer)
    history.replaceState(null, '', `/elsewhere?code=c&state=s`)
    const other = timers()
    makeClient(new FakeServer(), other)
    expect(other.active().filter((x) => x.ms === 3000)).toHaveLength(0)
    await settle(20)
    expect(warn).not.toHaveBeenCalled()
  })
})
