import { describe, expect, test } from 'vitest'
import { DeviceLoginError, NetworkError } from './errors.js'
import { DEVICE_GRANT, deferred, FakeServer, json, oauthError } from './test/fake-server.js'
import {
  clock,
  errorOf,
  idb,
  makeClient,
  settle,
  timers,
  until,
  type ClientOptions,
} from './test/helpers.js'
import { dpop } from './dpop.js'
import { auth0, defineProvider, entra, type ProviderError } from './providers.js'

const polls = (server: FakeServer) =>
  server.tokenRequests.filter((r) => r.form.get('grant_type') === DEVICE_GRANT)

function setup(options: ClientOptions = {}, server = new FakeServer()) {
  const c = clock()
  const t = timers()
  const auth = makeClient(server, { storage: 'memory', now: c.now, ...t, ...options })
  /** The one timer the device login waits on (there is never more than one). */
  const waiting = () => {
    const active = t.active()
    expect(active.length).toBeLessThanOrEqual(1)
    return active[0]
  }
  /** Lets the wait run out: advances the clock and fires the timer, then lets the poll finish. */
  const elapse = async () => {
    await until(() => !!waiting())
    const timer = waiting()!
    c.advance(timer.ms)
    t.fire(timer)
    await settle(5)
    return timer.ms
  }
  return { server, auth, clock: c, t, waiting, elapse }
}

const pending = () => oauthError('authorization_pending')

describe('device login (RFC 8628)', () => {
  test('shows the code, polls at the interval, and stores the approved session like a login', async () => {
    const server = new FakeServer()
    const { auth, elapse } = setup({ storage: 'indexeddb', clientId: 'device-1' }, server)
    await auth.ready
    const loggedIn: unknown[] = []
    auth.on('loggedIn', (e) => loggedIn.push(e))
    const d = await auth.deviceLogin({ scope: 'read' })
    expect(d).toMatchObject({
      userCode: 'WDJB-MJHT',
      verificationUri: 'https://as.example/device',
      verificationUriComplete: 'https://as.example/device?user_code=WDJB-MJHT',
    })
    const asked = server.sent('device_authorization_endpoint')[0]!.form
    expect(asked.get('client_id')).toBe('device-1')
    expect(asked.get('scope')).toBe('openid profile email offline_access read')
    await settle(10)
    expect(polls(server)).toHaveLength(0) // nothing is sent before the first interval has passed

    server.tokenReplies.push(pending)
    expect(await elapse()).toBe(5000)
    expect(polls(server)).toHaveLength(1)
    expect(await elapse()).toBe(5000)
    await d.result
    expect(polls(server)).toHaveLength(2)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { name: 'Ada' } })
    expect(loggedIn).toHaveLength(1)
    expect(await auth.getAccessToken()).toMatch(/^at-/)

    // The device code never leaves memory: not in the stored records.
    const code = polls(server)[0]!.form.get('device_code')!
    const stored = await Promise.all(
      (await idb.keys(server.issuer, 'device-1')).map((k) => idb.get(server.issuer, 'device-1', k)),
    )
    expect(JSON.stringify(stored)).not.toContain(code)
    expect(JSON.stringify(stored)).toContain('refreshToken')
  })

  test("the server's interval is used; without one, 5 s", async () => {
    const server = new FakeServer()
    server.deviceReplies.push(() =>
      json({
        device_code: 'dc',
        user_code: 'U',
        verification_uri: 'https://as.example/d',
        expires_in: 600,
        interval: 3,
      }),
    )
    const { auth, waiting } = setup({}, server)
    await auth.deviceLogin()
    await until(() => !!waiting())
    expect(waiting()!.ms).toBe(3000)

    const other = setup()
    other.server.deviceReplies.push(() =>
      json({
        device_code: 'dc',
        user_code: 'U',
        verification_uri: 'https://as.example/d',
        expires_in: 600,
      }),
    )
    await other.auth.deviceLogin()
    await until(() => !!other.waiting())
    expect(other.waiting()!.ms).toBe(5000)
  })

  test('each slow_down adds 5 s to the interval, for good', async () => {
    const { auth, server, elapse } = setup()
    const d = await auth.deviceLogin()
    server.tokenReplies.push(
      () => oauthError('slow_down'),
      () => oauthError('slow_down'),
      pending,
      pending,
    )
    const waits = [await elapse(), await elapse(), await elapse(), await elapse(), await elapse()]
    expect(waits).toEqual([5000, 10_000, 15_000, 15_000, 15_000])
    await d.result
    expect(polls(server)).toHaveLength(5)
  })

  test('never two polls at once: the next wait starts when the answer came', async () => {
    const { auth, server, elapse, waiting } = setup()
    const d = await auth.deviceLogin()
    const slow = deferred(pending)
    server.tokenReplies.push(slow.reply)
    await elapse()
    await slow.started
    // A poll is on its way: no timer runs, whatever time passes.
    expect(waiting()).toBeUndefined()
    await settle(20)
    expect(polls(server)).toHaveLength(1)
    slow.release()
    await until(() => !!waiting())
    expect(waiting()!.ms).toBe(5000)
    await elapse()
    await d.result
    expect(polls(server)).toHaveLength(2)
  })

  test('stops at expiry with expired_token, without polling past it', async () => {
    const server = new FakeServer()
    server.deviceReplies.push(() =>
      json({
        device_code: 'dc',
        user_code: 'U',
        verification_uri: 'https://as.example/d',
        expires_in: 12,
        interval: 5,
      }),
    )
    const { auth, elapse } = setup({}, server)
    const d = await auth.deviceLogin()
    server.tokenReplies.push(pending, pending, pending)
    const failure = errorOf(d.result)
    expect(await elapse()).toBe(5000)
    expect(await elapse()).toBe(5000)
    expect(await elapse()).toBe(2000) // what is left: no poll at or after expiry
    const err = await failure
    expect(err).toBeInstanceOf(DeviceLoginError)
    expect(err).toMatchObject({ code: 'expired_token' })
    expect(polls(server)).toHaveLength(2)
    expect(auth.getState().error).toBe(err)
  })

  test('expired_token from the server rejects the same way', async () => {
    const { auth, server, elapse } = setup()
    const d = await auth.deviceLogin()
    server.tokenReplies.push(() => oauthError('expired_token'))
    const failure = errorOf(d.result)
    await elapse()
    expect(await failure).toMatchObject({ code: 'expired_token', name: 'DeviceLoginError' })
  })

  test('access_denied: the person said no', async () => {
    const { auth, server, elapse, waiting } = setup()
    const d = await auth.deviceLogin()
    server.tokenReplies.push(pending, () => oauthError('access_denied'))
    const failure = errorOf(d.result)
    await elapse()
    await elapse()
    const err = await failure
    expect(err).toBeInstanceOf(DeviceLoginError)
    expect(err).toMatchObject({ code: 'access_denied' })
    expect(waiting()).toBeUndefined()
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', error: err })
  })

  test('cancel() stops the wait at once: aborted, no more polls, no error in the state', async () => {
    const { auth, server, elapse, waiting } = setup()
    const d = await auth.deviceLogin()
    server.tokenReplies.push(pending)
    await elapse()
    await until(() => !!waiting())
    d.cancel()
    const err = await errorOf(d.result)
    expect(err).toMatchObject({ code: 'aborted' })
    expect(waiting()).toBeUndefined()
    await settle(10)
    expect(polls(server)).toHaveLength(1)
    expect(auth.getState().error).toBeNull()
  })

  test('cancel() during a poll: tokens that arrive after it are revoked, not stored', async () => {
    const { auth, server, elapse, waiting } = setup()
    const d = await auth.deviceLogin()
    const late = deferred()
    server.tokenReplies.push(late.reply)
    await elapse()
    await late.started
    d.cancel()
    expect(await errorOf(d.result)).toMatchObject({ code: 'aborted' })
    late.release()
    await until(() => server.sent('revocation_endpoint').length === 2)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(waiting()).toBeUndefined()
  })

  test('destroy() cancels a device login under way', async () => {
    const { auth, waiting } = setup()
    const d = await auth.deviceLogin()
    await until(() => !!waiting())
    auth.destroy()
    expect(await errorOf(d.result)).toMatchObject({ code: 'aborted' })
    expect(waiting()).toBeUndefined()
  })

  test('network failures back off (doubling) and polling goes on', async () => {
    const { auth, server, elapse } = setup()
    const d = await auth.deviceLogin()
    const down = () => {
      throw new TypeError('Failed to fetch')
    }
    server.tokenReplies.push(down, down, () => new Response('busy', { status: 503 }))
    expect([await elapse(), await elapse(), await elapse(), await elapse()]).toEqual([
      5000, 10_000, 20_000, 40_000,
    ])
    await d.result
    expect(auth.getState().status).toBe('authenticated')
  })

  test('another error of the server ends it with that error', async () => {
    const { auth, server, elapse } = setup()
    const d = await auth.deviceLogin()
    server.tokenReplies.push(() => oauthError('invalid_client', 401))
    const failure = errorOf(d.result)
    await elapse()
    const err = await failure
    expect(err).not.toBeInstanceOf(DeviceLoginError)
    expect(err).not.toBeInstanceOf(NetworkError)
    expect(err).toMatchObject({ code: 'oauth_error', error: 'invalid_client' })
  })

  test('with DPoP: every poll carries a proof and the session is bound to the key', async () => {
    const { auth, server, elapse } = setup({ dpop })
    const d = await auth.deviceLogin()
    server.tokenReplies.push(pending)
    await elapse()
    await elapse()
    await d.result
    expect(polls(server).every((r) => r.headers.has('dpop'))).toBe(true)
    const res = await auth.fetch('https://as.example/api')
    expect(res.ok).toBe(true)
  })

  test('a server without the device flow, or with a non-https verification_uri, is refused', async () => {
    const { auth } = setup(
      {},
      new FakeServer({ metadata: { device_authorization_endpoint: undefined } }),
    )
    expect(await errorOf(auth.deviceLogin())).toMatchObject({ code: 'configuration_error' })

    const bad = setup()
    bad.server.deviceReplies.push(() =>
      json({
        device_code: 'dc',
        user_code: 'U',
        verification_uri: 'javascript:alert(1)',
        expires_in: 600,
      }),
    )
    expect(await errorOf(bad.auth.deviceLogin())).toMatchObject({ code: 'configuration_error' })
  })

  test('the device authorization request carries the same extra parameters as a login', async () => {
    const { auth, server } = setup({
      provider: auth0({ audience: 'https://api.example/' }),
      extraParams: { ui_locales: 'de' },
      resource: 'https://api.example/',
      allowedOrigins: ['https://cdn.example', { url: 'https://b.example', resource: 'urn:b' }],
    })
    await auth.deviceLogin()
    const asked = server.sent('device_authorization_endpoint')[0]!.form
    expect(asked.get('audience')).toBe('https://api.example/')
    expect(asked.get('ui_locales')).toBe('de')
    expect(asked.getAll('resource')).toEqual(['https://api.example/', 'urn:b'])
    await auth.login()
    const login = server.lastNavigation().searchParams
    for (const name of ['audience', 'ui_locales'])
      expect(asked.get(name), name).toBe(login.get(name))
    expect(asked.getAll('resource')).toEqual(login.getAll('resource'))
  })

  test("the app's audience and extraParams win over the adapter's, as on a login", async () => {
    const { auth, server } = setup({
      provider: auth0({ audience: 'https://adapter.example/' }),
      audience: 'https://app.example/',
      extraParams: { scope: 'ignored', client_id: 'ignored' },
    })
    await auth.deviceLogin({ scope: 'read' })
    const asked = server.sent('device_authorization_endpoint')[0]!.form
    expect(asked.get('audience')).toBe('https://app.example/')
    // the SDK's own parameters are never the app's
    expect(asked.get('scope')).toBe('openid profile email offline_access read')
    expect(asked.getAll('client_id')).toHaveLength(1)
    expect(asked.get('client_id')).not.toBe('ignored')
  })

  test.each([
    ['authorization_declined', 'access_denied'],
    ['bad_verification_code', 'expired_token'],
    ['expired_token', 'expired_token'],
  ])('entra(): its %s ends the device login as %s', async (answer, code) => {
    const { auth, server, elapse, waiting } = setup({ provider: entra() })
    const d = await auth.deviceLogin()
    server.tokenReplies.push(pending, () => oauthError(answer))
    const failure = errorOf(d.result)
    await elapse()
    await elapse()
    const err = await failure
    expect(err).toBeInstanceOf(DeviceLoginError)
    expect(err).toMatchObject({ code })
    expect(waiting()).toBeUndefined()
    expect(polls(server)).toHaveLength(2)
  })

  test("polling errors go through the adapter's mapError (during: 'device') before anything decides", async () => {
    const seen: ProviderError[] = []
    const provider = defineProvider({
      name: 'custom',
      mapError: (e) => {
        seen.push(e)
        return e.error === 'user_said_no' ? { ...e, error: 'access_denied' } : e
      },
    })
    const { auth, server, elapse } = setup({ provider })
    const d = await auth.deviceLogin()
    server.tokenReplies.push(pending, () =>
      oauthError('user_said_no', 400, { error_description: 'no' }),
    )
    const failure = errorOf(d.result)
    await elapse()
    await elapse()
    expect(await failure).toMatchObject({ name: 'DeviceLoginError', code: 'access_denied' })
    expect(seen).toEqual([
      expect.objectContaining({ error: 'authorization_pending', during: 'device', status: 400 }),
      expect.objectContaining({ error: 'user_said_no', error_description: 'no', during: 'device' }),
    ])
  })
})
