import { createServer, type ViteDevServer } from 'vite'
import { fileURLToPath } from 'node:url'
import { startServers } from '../examples/servers/start.mjs'
import { startApiServer } from '../examples/servers/api-server.mjs'
import * as env from './env'

/**
 * Starts the real authorization server (oidc-provider), the protected API, the third-party origin
 * and two copies of the example app: Bearer tokens on APP, DPoP-bound ones on DPOP_APP, plus the
 * React example on REACT_APP and the Vue example on VUE_APP.
 */
export default async function globalSetup() {
  // Every app origin the tests load, allowed by the authorization server and both APIs.
  const appOrigins = [
    env.APP,
    env.DPOP_APP,
    env.REACT_APP,
    env.VUE_APP,
    env.CSP_APP,
    env.SSR_REACT,
    env.SSR_VUE,
  ]
  const servers = await startServers({
    authPort: env.AUTH_PORT,
    apiPort: env.API_PORT,
    echoPort: env.OTHER_PORT,
    appOrigins,
    accessTokenTtl: env.ACCESS_TOKEN_TTL,
    apiRequireDpopNonce: true,
    // Both servers demand DPoP nonces, so every DPoP flow below goes through the nonce retry.
    asRequireDpopNonce: true,
    extraApiResources: [env.API2],
    testHooks: true,
    // Device-flow polls every second (RFC 8628 `interval`), so the tests wait seconds, not minutes.
    deviceInterval: 1,
  })
  // A second API: tokens for it come from the same refresh token (RFC 8707 resource indicators).
  const api2 = await startApiServer({
    port: env.API2_PORT,
    issuer: env.ISSUER,
    audience: env.API2,
    appOrigins,
    testHooks: true,
  })
  const root = fileURLToPath(new URL('../examples/vanilla/', import.meta.url))
  const apps: ViteDevServer[] = []
  for (const [port, dpop] of [
    [env.APP_PORT, '0'],
    [env.DPOP_APP_PORT, '1'],
  ] as const) {
    const app = await createServer({
      root,
      configFile: `${root}vite.config.ts`,
      server: { port, strictPort: true },
      define: {
        'import.meta.env.VITE_ISSUER': JSON.stringify(env.ISSUER),
        'import.meta.env.VITE_API_URL': JSON.stringify(env.API),
        'import.meta.env.VITE_OTHER_URL': JSON.stringify(env.OTHER),
        'import.meta.env.VITE_API2_URL': JSON.stringify(env.API2),
        'import.meta.env.VITE_DPOP': JSON.stringify(dpop),
        'import.meta.env.VITE_AUTO_REFRESH': JSON.stringify('0'),
      },
      logLevel: 'warn',
    })
    await app.listen()
    apps.push(app)
  }
  const reactRoot = fileURLToPath(new URL('../examples/react/', import.meta.url))
  const reactApp = await createServer({
    root: reactRoot,
    configFile: `${reactRoot}vite.config.ts`,
    server: { port: env.REACT_APP_PORT, strictPort: true },
    define: {
      'import.meta.env.VITE_ISSUER': JSON.stringify(env.ISSUER),
      'import.meta.env.VITE_API_URL': JSON.stringify(env.API),
      'import.meta.env.VITE_AUTO_REFRESH': JSON.stringify('0'),
    },
    logLevel: 'warn',
  })
  await reactApp.listen()
  apps.push(reactApp)
  const vueRoot = fileURLToPath(new URL('../examples/vue/', import.meta.url))
  const vueApp = await createServer({
    root: vueRoot,
    configFile: `${vueRoot}vite.config.ts`,
    server: { port: env.VUE_APP_PORT, strictPort: true },
    define: {
      'import.meta.env.VITE_ISSUER': JSON.stringify(env.ISSUER),
      'import.meta.env.VITE_API_URL': JSON.stringify(env.API),
      'import.meta.env.VITE_AUTO_REFRESH': JSON.stringify('0'),
    },
    logLevel: 'warn',
  })
  await vueApp.listen()
  apps.push(vueApp)
  return async () => {
    await Promise.all(apps.map((a) => a.close()))
    await api2.close()
    await servers.close()
  }
}
