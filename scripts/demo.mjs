// `npm run demo` / `pnpm demo`: the local authorization server, the protected API, a third-party
// origin and an example app, all on localhost, no account anywhere.
//
//   AUTH_PORT, API_PORT, ECHO_PORT, APP_PORT   ports (defaults 9000, 9001, 9002, 5173)
//   EXAMPLE=vanilla|react|vue                  which example app to serve (default vanilla)
//   DPOP=1                                     DPoP-bound tokens (vanilla example)
//   APP_ORIGINS=http://localhost:3000,...      more app origins the servers accept (your own app)
//   PROVIDER=auth0|...                         run the authorization server as a provider stand-in
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startServers } from '../examples/servers/start.mjs'
import * as authServer from '../examples/servers/auth-server.mjs'

/** One line on stderr and exit: for mistakes a developer fixes with an environment variable. */
function die(message) {
  console.error(`demo: ${message}`)
  process.exit(1)
}

// --- which example ----------------------------------------------------------------------------
const examples = ['vanilla', 'react', 'vue']
const example = process.env.EXAMPLE || 'vanilla'
if (!examples.includes(example)) {
  die(`EXAMPLE must be one of ${examples.join(', ')}; got "${example}".`)
}
const root = fileURLToPath(new URL(`../examples/${example}/`, import.meta.url))
if (!existsSync(`${root}vite.config.ts`)) {
  die(
    `EXAMPLE=${example}: examples/${example} has no vite.config.ts yet, so there is no app to run.`,
  )
}

// --- ports and origins ------------------------------------------------------------------------
/** @param {string} name @param {number} fallback @param {number} min 0 = "any free port" */
function port(name, fallback, min = 0) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > 65535) {
    die(`${name} must be a port number (${min}-65535); got "${raw}".`)
  }
  return n
}
const ports = {
  AUTH_PORT: { port: port('AUTH_PORT', 9000), what: 'authorization server' },
  API_PORT: { port: port('API_PORT', 9001), what: 'protected API' },
  ECHO_PORT: { port: port('ECHO_PORT', 9002), what: 'third-party origin' },
  APP_PORT: { port: port('APP_PORT', 5173, 1), what: 'example app' },
}
const appOrigin = `http://localhost:${ports.APP_PORT.port}`

/** `APP_ORIGINS=http://localhost:3000, https://app.test:8443` → normalized origins. */
function extraOrigins(value) {
  const origins = []
  for (const raw of (value ?? '').split(',').map((s) => s.trim())) {
    if (!raw) continue
    let url
    try {
      url = new URL(raw)
    } catch {
      die(`APP_ORIGINS: "${raw}" is not a URL; write origins like http://localhost:3000.`)
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search) {
      die(`APP_ORIGINS: "${raw}" is not an origin; write it like http://localhost:3000 (no path).`)
    }
    origins.push(url.origin)
  }
  return origins
}
const appOrigins = [...new Set([appOrigin, ...extraOrigins(process.env.APP_ORIGINS)])]

/** A busy port in one line: which server, which variable moves it. */
function explainStartError(err) {
  const busy =
    err?.code === 'EADDRINUSE'
      ? Number(err.port)
      : Number(/Port (\d+) is already in use/.exec(String(err?.message))?.[1])
  if (!busy) return undefined
  const entry = Object.entries(ports).find(([, p]) => p.port === busy)
  const [name, { what }] = entry ?? ['', { what: 'a server' }]
  const hint = name ? ` or start the demo on another one: ${name}=${busy + 100} npm run demo` : ''
  return `port ${busy} (${what}) is already in use: stop what holds it (another demo?)${hint}.`
}

// --- start ------------------------------------------------------------------------------------
let servers
try {
  servers = await startServers({
    authPort: ports.AUTH_PORT.port,
    apiPort: ports.API_PORT.port,
    echoPort: ports.ECHO_PORT.port,
    appOrigins,
    ...(process.env.PROVIDER ? { provider: process.env.PROVIDER } : {}),
  })
} catch (err) {
  const line = explainStartError(err)
  if (line) die(line)
  // A wrong PROVIDER or port value: the servers' message says what to write instead.
  if (err instanceof TypeError) die(err.message)
  throw err
}

const { createServer } = await import('vite')
let app
try {
  app = await createServer({
    root,
    configFile: `${root}vite.config.ts`,
    server: { port: ports.APP_PORT.port, strictPort: true, host: 'localhost' },
    define: {
      'import.meta.env.VITE_ISSUER': JSON.stringify(servers.issuer),
      'import.meta.env.VITE_API_URL': JSON.stringify(servers.apiUrl),
      'import.meta.env.VITE_OTHER_URL': JSON.stringify(servers.echoUrl),
      'import.meta.env.VITE_DPOP': JSON.stringify(process.env.DPOP === '1' ? '1' : '0'),
      // PROVIDER=cognito|…: the app uses that preset (vanilla example) against the stand-in.
      'import.meta.env.VITE_PROVIDER': JSON.stringify(
        servers.provider && servers.provider !== 'default' ? servers.provider : '',
      ),
      'import.meta.env.VITE_COGNITO_DOMAIN': JSON.stringify(servers.providerInfo?.domain ?? ''),
    },
    logLevel: 'warn',
  })
  await app.listen()
} catch (err) {
  await app?.close()
  await servers.close()
  const line = explainStartError(err)
  if (line) die(line)
  throw err
}

// --- tell the developer everything they need to point their own app at it ----------------------
const clientId = servers.clientId ?? authServer.CLIENT_ID ?? 'demo-spa'
const scope = 'openid profile email offline_access read write'
const redirectUris = appOrigins.flatMap((o) => [
  `${o}/`,
  `${o}/callback`,
  `${o}/silent-callback.html`,
])
const logoutUris = appOrigins.flatMap((o) => [`${o}/`, `${o}/logged-out`])
const provider =
  servers.provider && servers.provider !== 'default'
    ? `\n  provider stand-in     ${servers.provider}\n${Object.entries(servers.providerInfo ?? {})
        .filter(([, v]) => v)
        .map(([k, v]) => `    ${k.padEnd(20)}${v}`)
        .join('\n')}`
    : ''

console.log(`
  oauth-spa demo is running (${example} example).

  Open ${appOrigin}/ and click "Log in": any username and password work.

  authorization server  ${servers.issuer}${provider}
  protected API         ${servers.apiUrl}   (scopes read, write; resource = its URL)
  another origin        ${servers.echoUrl}   (never receives a token)

  client id             ${clientId}   (public client: no secret, PKCE)
  app origins           ${appOrigins.join(', ')}
  redirect URIs         ${redirectUris.join('\n                        ')}
  post-logout URIs      ${logoutUris.join('\n                        ')}

  Your own app on another origin: APP_ORIGINS=http://localhost:3000 npm run demo, install
  @oauth-spa/core (docs/getting-started/) and paste:

    import { createAuthClient } from '@oauth-spa/core'

    const auth = createAuthClient({
      issuer: '${servers.issuer}',
      clientId: '${clientId}',
      redirectUri: \`\${location.origin}/callback\`,
      scope: '${scope}',
      resource: '${servers.apiUrl}',
      allowedOrigins: ['${servers.apiUrl}'],
    })

  DPOP=1 runs the app with DPoP-bound tokens (vanilla example); EXAMPLE=react or EXAMPLE=vue
  runs another example. Ctrl+C stops everything.
`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await app.close()
  await servers.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
