import { pathToFileURL } from 'node:url'

import { startApiServer } from './api-server.mjs'
import { startAuthServer } from './auth-server.mjs'
import { startEchoServer } from './echo-server.mjs'
import { freePort } from './http-util.mjs'
import { PROVIDERS } from './providers.mjs'

/**
 * @typedef {object} StartOptions
 * @property {number} [authPort] env AUTH_PORT, default 9000
 * @property {number} [apiPort] env API_PORT, default 9001
 * @property {number} [echoPort] env ECHO_PORT, default 9002
 * @property {string[]} [appOrigins] env APP_ORIGINS (comma list), default http://localhost:5173
 * @property {string[]} [extraApiResources] env EXTRA_API_RESOURCES (comma list)
 * @property {number} [accessTokenTtl] env ACCESS_TOKEN_TTL
 * @property {number} [refreshTokenTtl] env REFRESH_TOKEN_TTL
 * @property {number} [idTokenTtl] env ID_TOKEN_TTL
 * @property {boolean} [asRequireDpopNonce] env AS_REQUIRE_DPOP_NONCE
 * @property {boolean} [apiRequireDpopNonce] env API_REQUIRE_DPOP_NONCE
 * @property {boolean} [testHooks] env TEST_HOOKS
 * @property {boolean} [coop] env COOP: the login pages send Cross-Origin-Opener-Policy
 * @property {number} [deviceInterval] env DEVICE_INTERVAL: seconds between device-flow polls
 * @property {import('./providers.mjs').ProviderName} [provider] env PROVIDER: run the
 *   authorization server as a stand-in for auth0, cognito, entra, keycloak or okta
 * @property {NodeJS.ProcessEnv} [env] environment to read, default process.env
 */

/** @param {string | undefined} value */
const list = (value) =>
  value
    ?.split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean)

/** @param {string | undefined} value */
const flag = (value) =>
  value === undefined ? undefined : ['1', 'true', 'yes'].includes(value.toLowerCase())

/**
 * @param {string | undefined} value
 * @param {string} name
 */
function int(value, name) {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`${name} must be a non-negative integer`)
  return n
}

/**
 * Starts the authorization server, then the API (trusting it), then the echo server.
 *
 * @param {StartOptions} [opts]
 */
export async function startServers(opts = {}) {
  const env = opts.env ?? process.env
  const appOrigins = opts.appOrigins ?? list(env.APP_ORIGINS) ?? ['http://localhost:5173']
  const testHooks = opts.testHooks ?? flag(env.TEST_HOOKS) ?? false
  const apiPort = opts.apiPort ?? int(env.API_PORT, 'API_PORT') ?? 9001
  const extra = opts.extraApiResources ?? list(env.EXTRA_API_RESOURCES) ?? []
  const provider = opts.provider ?? providerName(env.PROVIDER)

  // The API's URL is its resource indicator, which the authorization server must know before the
  // API starts: API_PORT=0 is resolved to a free port up front.
  const apiPortResolved = apiPort === 0 ? await freePort() : apiPort
  const apiUrl = `http://localhost:${apiPortResolved}`

  const auth = await startAuthServer({
    port: opts.authPort ?? int(env.AUTH_PORT, 'AUTH_PORT') ?? 9000,
    appOrigins,
    apiResources: [apiUrl, ...extra],
    accessTokenTtl: opts.accessTokenTtl ?? int(env.ACCESS_TOKEN_TTL, 'ACCESS_TOKEN_TTL'),
    refreshTokenTtl: opts.refreshTokenTtl ?? int(env.REFRESH_TOKEN_TTL, 'REFRESH_TOKEN_TTL'),
    idTokenTtl: opts.idTokenTtl ?? int(env.ID_TOKEN_TTL, 'ID_TOKEN_TTL'),
    requireDpopNonce: opts.asRequireDpopNonce ?? flag(env.AS_REQUIRE_DPOP_NONCE) ?? false,
    testHooks,
    provider,
    coop: opts.coop ?? flag(env.COOP),
    deviceInterval: opts.deviceInterval ?? int(env.DEVICE_INTERVAL, 'DEVICE_INTERVAL'),
  })
  /** @type {Array<{ close: () => Promise<void> }>} */
  const started = [auth]
  try {
    const api = await startApiServer({
      port: apiPortResolved,
      // the `iss` of the access tokens (Entra: the tenant's issuer, not the /common template)
      issuer: auth.tokenIssuer,
      audience: apiUrl,
      appOrigins,
      requireDpopNonce: opts.apiRequireDpopNonce ?? flag(env.API_REQUIRE_DPOP_NONCE) ?? false,
      testHooks,
    })
    started.push(api)
    const echo = await startEchoServer({
      port: opts.echoPort ?? int(env.ECHO_PORT, 'ECHO_PORT') ?? 9002,
      appOrigins,
    })
    started.push(echo)
    return {
      issuer: auth.issuer,
      tokenIssuer: auth.tokenIssuer,
      provider: auth.providerName,
      providerInfo: auth.providerInfo,
      apiUrl: api.url,
      echoUrl: echo.url,
      stats: auth.stats,
      close: async () => {
        await Promise.all(started.map((s) => s.close()))
      },
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.close()))
    throw err
  }
}

/** @param {string | undefined} value */
function providerName(value) {
  if (value === undefined || value === '') return undefined
  const name = value.toLowerCase()
  if (!(/** @type {readonly string[]} */ (PROVIDERS).includes(name))) {
    throw new TypeError(`PROVIDER must be one of ${PROVIDERS.join(', ')} (got "${value}")`)
  }
  return /** @type {import('./providers.mjs').ProviderName} */ (name)
}

async function main() {
  const servers = await startServers()
  const as = servers.provider === 'default' ? '' : ` (${servers.provider} stand-in)`
  console.log(`authorization server  ${servers.issuer}${as}`)
  for (const [key, value] of Object.entries(servers.providerInfo)) {
    if (servers.provider !== 'default' && value) console.log(`  ${key.padEnd(20)}${value}`)
  }
  console.log(`protected API         ${servers.apiUrl}`)
  console.log(`third-party echo      ${servers.echoUrl}`)
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await servers.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
