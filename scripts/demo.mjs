// `pnpm demo`: the local authorization server, the protected API, a third-party origin and the
// vanilla example app, all on localhost, no account anywhere. Ports: AUTH_PORT, API_PORT,
// ECHO_PORT, APP_PORT (defaults 9000, 9001, 9002, 5173).
import { createServer } from 'vite'
import { fileURLToPath } from 'node:url'
import { startServers } from '../examples/servers/start.mjs'

const appPort = Number(process.env.APP_PORT ?? 5173)
const appOrigin = `http://localhost:${appPort}`
const servers = await startServers({ appOrigins: [appOrigin] })
// EXAMPLE=react runs the React example instead of the plain TypeScript one.
const example = process.env.EXAMPLE === 'react' ? 'react' : 'vanilla'
const root = fileURLToPath(new URL(`../examples/${example}/`, import.meta.url))
const app = await createServer({
  root,
  configFile: `${root}vite.config.ts`,
  server: { port: appPort },
  define: {
    'import.meta.env.VITE_ISSUER': JSON.stringify(servers.issuer),
    'import.meta.env.VITE_API_URL': JSON.stringify(servers.apiUrl),
    'import.meta.env.VITE_OTHER_URL': JSON.stringify(servers.echoUrl),
    'import.meta.env.VITE_DPOP': JSON.stringify(process.env.DPOP === '1' ? '1' : '0'),
  },
  logLevel: 'warn',
})
await app.listen()

console.log(`
  oauth-spa demo is running.

  Open ${appOrigin}/ and click "Log in": any username and password work.

  authorization server  ${servers.issuer}
  protected API         ${servers.apiUrl}
  another origin        ${servers.echoUrl}   (never receives a token)

  DPOP=1 pnpm demo runs the app with DPoP-bound tokens (vanilla example);
  EXAMPLE=react pnpm demo runs the React example. Ctrl+C stops everything.
`)

const stop = async () => {
  await app.close()
  await servers.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
