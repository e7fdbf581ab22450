import { describe, expect, test } from 'vitest'
import { createAuthClient, ConfigurationError } from './index.js'
import type { AuthClientOptions } from './index.js'
import { FakeServer } from './test/fake-server.js'
import { makeClient, REDIRECT_URI, uniqueClientId } from './test/helpers.js'

const valid = (): AuthClientOptions => ({
  issuer: 'https://as.example',
  clientId: uniqueClientId(),
  redirectUri: REDIRECT_URI,
  storage: 'memory',
  autoRefresh: false,
})

const create = (patch: Record<string, unknown>) => () =>
  createAuthClient({ ...valid(), ...patch } as AuthClientOptions).destroy()

describe('createAuthClient options', () => {
  test('accepts a minimal valid configuration', () => {
    expect(create({})).not.toThrow()
  })

  test.each([
    ['http://as.example'],
    ['http://localhost.evil.com'],
    ['ftp://as.example'],
    ['not a url'],
  ])('refuses the issuer %s (https only outside loopback)', (issuer) => {
    expect(create({ issuer })).toThrow(ConfigurationError)
  })

  test.each([['http://localhost:8080'], ['http://127.0.0.1:9000/realm']])(
    'allows the loopback http issuer %s',
    (issuer) => {
      expect(create({ issuer })).not.toThrow()
    },
  )

  test('refuses a non-https redirectUri outside loopback', () => {
    expect(create({ redirectUri: 'http://app.example/callback' })).toThrow(ConfigurationError)
  })

  test.each([['issuer'], ['clientId'], ['redirectUri']])(
    'refuses a missing %s with a message naming it',
    (key) => {
      const options: Record<string, unknown> = { ...valid() }
      delete options[key]
      expect(() => createAuthClient(options as unknown as AuthClientOptions)).toThrow(
        expect.objectContaining({
          code: 'configuration_error',
          message: expect.stringContaining(key),
        }),
      )
    },
  )

  test.each([
    ['timeout', 0],
    ['timeout', -1],
    ['popupTimeout', 0],
    ['popupTimeout', Number.NaN],
  ])('refuses %s: %o (every request, or popup, would time out at once)', (name, value) => {
    expect(create({ [name]: value })).toThrow(ConfigurationError)
    expect(create({ [name]: value })).toThrow(`Option \`${name}\` must be a number > 0.`)
  })

  test('accepts any positive timeout', () => {
    expect(create({ timeout: 1, popupTimeout: 0.5 })).not.toThrow()
  })

  test('refuses a clientSecret', () => {
    expect(create({ clientSecret: 's3cret' })).toThrow(ConfigurationError)
    expect(create({ clientSecret: 's3cret' })).toThrow(/public client/)
  })

  test('refuses a non-https allowedOrigins entry', () => {
    expect(create({ allowedOrigins: ['http://api.example'] })).toThrow(ConfigurationError)
    expect(create({ allowedOrigins: [{ url: 'http://api.example/v1/' }] })).toThrow(
      ConfigurationError,
    )
  })

  test('options explicitly set to undefined fall back to the defaults', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, {
      scope: undefined,
      leeway: undefined,
      timeout: undefined,
      now: undefined,
      setTimeout: undefined,
      clearTimeout: undefined,
      extraParams: undefined,
    })
    await auth.login()
    expect(server.lastNavigation().searchParams.get('scope')).toBe(
      'openid profile email offline_access',
    )
  })

  test('leeway: undefined does not turn every getAccessToken into a refresh', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { leeway: undefined })
    await auth.login()
    await auth.handleRedirectCallback(server.authorize(server.lastNavigation().href))
    await auth.getAccessToken()
    await auth.getAccessToken()
    expect(server.tokenRequests).toHaveLength(1)
  })

  test('creating a client does no network I/O', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { storage: 'memory' })
    await auth.ready
    expect(server.requests).toHaveLength(0)
  })
})
