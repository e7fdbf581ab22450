import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { b64uJson, FakeServer, json } from './test/fake-server.js'
import { clock, errorOf, loginFlow, makeClient, rewriteIdToken, timers } from './test/helpers.js'

const userinfoServer = (sub: string) => {
  const server = new FakeServer({ metadata: { userinfo_endpoint: 'https://as.example/userinfo' } })
  const fetch: typeof globalThis.fetch = async (input, init) =>
    String(input) === 'https://as.example/userinfo'
      ? json({ sub, name: 'From UserInfo', picture: 'https://img.example/p.png' })
      : server.fetch(input, init)
  return { server, fetch }
}

describe('UserInfo', () => {
  // happy-dom's URL.parse returns Node's URL class, which oauth4webapi's `instanceof URL` refuses;
  // browsers have one URL class. Make the test environment behave like a browser.
  const parse = URL.parse
  beforeAll(() => {
    URL.parse = (url: string | URL, base?: string | URL) => {
      try {
        return new URL(url, base)
      } catch {
        return null
      }
    }
  })
  afterAll(() => {
    URL.parse = parse
  })

  test('claims are merged into user when the subject matches', async () => {
    const { server, fetch } = userinfoServer('user-1')
    const auth = makeClient(server, { fetch, fetchUserInfo: true })
    await loginFlow(auth, server)
    expect(auth.getState().user).toMatchObject({
      sub: 'user-1',
      picture: 'https://img.example/p.png',
    })
  })

  test('an answer about another subject is not used (OIDC Core §5.3.2)', async () => {
    const { server, fetch } = userinfoServer('someone-else')
    const auth = makeClient(server, { fetch, fetchUserInfo: true })
    await loginFlow(auth, server)
    const state = auth.getState()
    expect(state.status).toBe('authenticated')
    expect(state.user).not.toHaveProperty('picture')
    expect(state.error).not.toBeNull()
  })
})

describe('bounded waits and no automatic retry of the code exchange', () => {
  test('a token endpoint that never answers gives a TimeoutError; the exchange is not retried', async () => {
    const server = new FakeServer()
    let tokenCalls = 0
    const auth = makeClient(server, {
      timeout: 50,
      fetch: (input, init) => {
        if (!String(input).endsWith('/token')) return server.fetch(input, init)
        tokenCalls++
        return new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
        )
      },
    })
    const err = await errorOf(loginFlow(auth, server))
    expect(err).toMatchObject({ code: 'timeout' })
    expect(tokenCalls).toBe(1)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('a 503 at code exchange is a NetworkError after exactly one token request', async () => {
    const server = new FakeServer()
    server.tokenReplies.push(() => new Response('down', { status: 503 }))
    const auth = makeClient(server)
    const err = await errorOf(loginFlow(auth, server))
    expect(err).toMatchObject({ code: 'network_error', status: 503 })
    expect(server.tokenRequests).toHaveLength(1)
  })
})

describe('auto refresh resumes when the page is visible again', () => {
  const setVisibility = (v: 'visible' | 'hidden') => {
    Object.defineProperty(document, 'visibilityState', { value: v, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }
  afterEach(() => setVisibility('visible'))

  test('a timer that fires while hidden waits; becoming visible refreshes', async () => {
    const server = new FakeServer()
    const c = clock()
    const t = timers()
    const auth = makeClient(server, { autoRefresh: true, now: c.now, ...t })
    await loginFlow(auth, server)
    const refreshes = () =>
      server.tokenRequests.filter((r) => r.form.get('grant_type') === 'refresh_token').length
    setVisibility('hidden')
    c.advance(3600_000)
    for (const timer of t.active()) t.fire(timer)
    await new Promise((r) => setTimeout(r, 20))
    expect(refreshes()).toBe(0)
    setVisibility('visible')
    const [due] = t.active()
    expect(due?.ms).toBe(0) // overdue: scheduled at once
    t.fire(due!)
    await new Promise((r) => setTimeout(r, 50))
    expect(refreshes()).toBe(1)
  })
})

describe('clock skew', () => {
  // A server whose clock is `seconds` off the device's, issuing one-minute ID tokens.
  const skewed = (server: FakeServer, seconds: number) =>
    rewriteIdToken(server, (header, claims) => {
      const iat = Math.floor(Date.now() / 1000) + seconds
      return `${b64uJson(header)}.${b64uJson({ ...claims, iat, exp: iat + 60 })}.sig`
    })

  test.each([4 * 60, -4 * 60])(
    'a server clock %i s off the device still logs in',
    async (seconds) => {
      const server = new FakeServer()
      const auth = makeClient(server, { fetch: skewed(server, seconds) })
      await loginFlow(auth, server)
      expect(auth.getState().status).toBe('authenticated')
    },
  )

  test('an ID token an hour old is still refused', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { fetch: skewed(server, -2 * 3600) })
    await expect(loginFlow(auth, server)).rejects.toBeInstanceOf(Error)
    expect(auth.getState().status).toBe('unauthenticated')
  })
})
