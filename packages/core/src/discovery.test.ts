import { describe, expect, test } from 'vitest'
import { ConfigurationError, defineProvider } from './index.js'
import { FakeServer } from './test/fake-server.js'
import { errorOf, loginFlow, makeClient } from './test/helpers.js'

describe('metadata with null members', () => {
  // Servers serialize "none" as null (e.g. Django, Spring): that is an absent endpoint, not "null".
  const nulls = {
    revocation_endpoint: null,
    end_session_endpoint: null,
    pushed_authorization_request_endpoint: null,
    device_authorization_endpoint: null,
    userinfo_endpoint: null,
    registration_endpoint: null,
    scopes_supported: null,
  }

  test('an endpoint named null is absent: login works, logout revokes nothing and stays local', async () => {
    const server = new FakeServer({ metadata: nulls })
    const auth = makeClient(server, { fetchUserInfo: true })
    await loginFlow(auth, server)
    expect(auth.getState().status).toBe('authenticated')
    const before = server.navigations.length
    await auth.logout()
    expect(server.sent('https://as.example/revoke')).toHaveLength(0)
    expect(server.navigations).toHaveLength(before)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', error: null })
  })

  test('an adapter sees null as absent and may fill it', async () => {
    const server = new FakeServer({ metadata: nulls })
    const filling = defineProvider({
      name: 'filling',
      metadata: (as) =>
        as.revocation_endpoint ? {} : { revocation_endpoint: 'https://as.example/revoke' },
    })
    const auth = makeClient(server, { provider: filling })
    await loginFlow(auth, server)
    await auth.logout({ localOnly: true })
    expect(server.sent('https://as.example/revoke')).toHaveLength(2)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', error: null })
  })

  test.each([[42], [''], ['null']])(
    'an endpoint that is not null and not an https URL (%o) is still refused',
    async (value) => {
      const server = new FakeServer({ metadata: { revocation_endpoint: value } })
      expect(await errorOf(makeClient(server).login())).toBeInstanceOf(ConfigurationError)
    },
  )
})
