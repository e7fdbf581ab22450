// The packages as shipped: packs @oauth-spa/core, /react and /vue with `pnpm pack` (as a release
// would), installs the tarballs with npm into a fresh Vite + React app outside the workspace,
// type-checks and builds it, serves the build, and logs in through it in Chromium against the
// local authorization server and API. Needs `pnpm build` first (the test chain runs it).
//
//   TARBALL_APP_PORT, TARBALL_AUTH_PORT, TARBALL_API_PORT, TARBALL_ECHO_PORT   default: free ports
//   CHROMIUM_PATH                    default /usr/bin/chromium
//   TARBALL_KEEP=1                   keep the temporary app folder (kept anyway on failure)
//   TARBALL_TIMEOUT_MS               the whole test's bound, default 300000
import { spawn } from 'node:child_process'
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { mkdtemp, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import { startServers } from '../examples/servers/start.mjs'
import { freePort, listenLoopback } from '../examples/servers/http-util.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const packages = ['core', 'react', 'vue']
const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'))
const timeoutMs = Number(process.env.TARBALL_TIMEOUT_MS ?? 300_000)

let passed = 0
let failed = 0
/** One named step; a failure stops the test (later steps need earlier ones). */
async function step(name, fn) {
  const started = Date.now()
  try {
    const result = await fn()
    passed++
    console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`)
    return result
  } catch (err) {
    failed++
    console.log(`  ✗ ${name}`)
    throw err
  }
}

/** Runs a command, output captured; rejects with the output when it fails. */
function exec(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`)),
    )
  })
}

const port = async (name) => Number(process.env[name] || 0) || (await freePort())

// What every tarball must hold, and what none may.
const mustShip = ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']
const mustNotShip = [/\.test\.tsx?$/, /\.bench\.ts$/, /(^|\/)src\/test\//, /\.tsbuildinfo$/]

const cleanup = []
let work
const timer = setTimeout(() => {
  console.error(`tarball test: did not finish within ${timeoutMs / 1000}s`)
  finish(1)
}, timeoutMs)

let finishing = false
async function finish(code) {
  if (finishing) return
  finishing = true
  clearTimeout(timer)
  for (const fn of cleanup.reverse()) await fn().catch(() => {})
  if (work && code === 0 && process.env.TARBALL_KEEP !== '1')
    rmSync(work, { recursive: true, force: true })
  else if (work) console.log(`  the app is kept in ${work}`)
  console.log(`check tarball-install: ${passed} passed, ${failed} failed`)
  process.exit(code)
}

async function main() {
  for (const p of packages) {
    if (!existsSync(join(root, 'packages', p, 'dist', 'index.js'))) {
      throw new Error(`packages/${p}/dist is missing: run pnpm build first.`)
    }
  }
  work = await mkdtemp(join(tmpdir(), 'oauth-spa-tarball-'))
  const tarballs = join(work, 'tarballs')
  const app = join(work, 'app')
  mkdirSync(tarballs)
  mkdirSync(join(app, 'src'), { recursive: true })
  console.log(`tarball test in ${work}`)

  // 1. pack, as `pnpm publish` would (workspace:* becomes the real version)
  const files = {}
  await step('pnpm pack core, react, vue', async () => {
    for (const p of packages) {
      const out = await exec('pnpm', ['pack', '--pack-destination', tarballs], {
        cwd: join(root, 'packages', p),
      })
      const tgz = out
        .trim()
        .split('\n')
        .map((l) => l.trim())
        .reverse()
        .find((l) => l.endsWith('.tgz'))
      if (!tgz) throw new Error(`pnpm pack printed no tarball for ${p}:\n${out}`)
      files[p] = tgz.startsWith('/') ? tgz : join(tarballs, tgz)
    }
  })

  await step('tarballs ship dist, README, LICENSE and no tests', async () => {
    for (const p of packages) {
      const list = (await exec('tar', ['-tzf', files[p]]))
        .split('\n')
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, ''))
      const missing = mustShip.filter((f) => !list.includes(f))
      const extra = list.filter((f) => mustNotShip.some((re) => re.test(f)))
      if (missing.length || extra.length) {
        throw new Error(
          `@oauth-spa/${p}: missing ${missing.join(', ') || '-'}; must not ship ${extra.join(', ') || '-'}`,
        )
      }
      const manifest = JSON.parse(await exec('tar', ['-xzOf', files[p], 'package/package.json']))
      const deps = JSON.stringify(manifest.dependencies ?? {})
      if (deps.includes('workspace:')) throw new Error(`@oauth-spa/${p} ships ${deps}`)
    }
  })

  // 2. a fresh Vite + React app outside the workspace, same versions as the repo's example
  const example = readJson('examples/react/package.json')
  const vueVersion = readJson('packages/vue/package.json').devDependencies.vue
  const tsVersion = readJson('package.json').devDependencies.typescript
  const appPort = await port('TARBALL_APP_PORT')
  const appOrigin = `http://localhost:${appPort}`
  const servers = await step('local authorization server and API', () =>
    startServers({
      authPort: Number(process.env.TARBALL_AUTH_PORT || 0),
      apiPort: Number(process.env.TARBALL_API_PORT || 0),
      echoPort: Number(process.env.TARBALL_ECHO_PORT || 0),
      appOrigins: [appOrigin],
      env: {},
    }),
  )
  cleanup.push(() => servers.close())
  writeApp(app, {
    issuer: servers.issuer,
    apiUrl: servers.apiUrl,
    deps: {
      '@oauth-spa/core': `file:${files.core}`,
      '@oauth-spa/react': `file:${files.react}`,
      '@oauth-spa/vue': `file:${files.vue}`,
      react: example.dependencies.react,
      'react-dom': example.dependencies['react-dom'],
      vue: vueVersion,
    },
    devDeps: {
      vite: example.devDependencies.vite,
      '@vitejs/plugin-react': example.devDependencies['@vitejs/plugin-react'],
      '@types/react': example.devDependencies['@types/react'],
      '@types/react-dom': example.devDependencies['@types/react-dom'],
      typescript: tsVersion,
    },
  })

  // npm, not pnpm: what most apps use, and no workspace to lean on.
  await step('npm install the tarballs into the app', () =>
    exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      env: { ...process.env, npm_config_workspaces: 'false' },
    }),
  )
  await step('the packages import in Node as ES modules', () =>
    exec(process.execPath, ['check-imports.mjs'], { cwd: app }),
  )
  await step('tsc --noEmit: the shipped types check in the app (skipLibCheck off)', () =>
    exec(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {
      cwd: app,
    }),
  )
  await step('vite build', () =>
    exec(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
      cwd: app,
    }),
  )

  // 3. serve the build and log in through it
  const server = await listenLoopback(staticHandler(join(app, 'dist')), appPort)
  cleanup.push(() => server.close())
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
  })
  cleanup.push(() => browser.close())
  const page = await browser.newPage()
  const pageErrors = []
  page.on('pageerror', (err) => pageErrors.push(err.message))

  await step('log in through the built app in Chromium', async () => {
    await page.goto(`${appOrigin}/`)
    await page.locator('#status', { hasText: /^unauthenticated$/ }).waitFor({ timeout: 15_000 })
    await page.click('#login')
    await page.waitForURL(`${servers.issuer}/interaction/**`)
    await page.fill('input[name=login]', 'alice')
    await page.fill('input[name=password]', 'any-password')
    await page.click('button[type=submit]')
    await page.waitForURL(
      (url) => url.origin === appOrigin || url.pathname.startsWith('/interaction/'),
    )
    if (new URL(page.url()).origin !== appOrigin) {
      await page.getByRole('button', { name: /continue/i }).click()
    }
    await page.waitForURL((url) => url.origin === appOrigin && url.pathname === '/')
    await page.locator('#status', { hasText: /^authenticated$/ }).waitFor({ timeout: 15_000 })
    const user = await page.locator('#user').textContent()
    if (user !== 'alice') throw new Error(`the app shows user "${user}", expected "alice"`)
    if (new URL(page.url()).search) throw new Error(`the callback left ${page.url()} in the URL`)
  })

  await step('call the protected API with the token', async () => {
    await page.click('#call-api')
    await page.locator('#answer', { hasText: /^200 / }).waitFor({ timeout: 15_000 })
    const answer = JSON.parse((await page.locator('#answer').textContent()).slice(4))
    if (answer.sub !== 'alice' || !String(answer.scope).split(' ').includes('read')) {
      throw new Error(`unexpected API answer ${JSON.stringify(answer)}`)
    }
    if (pageErrors.length) throw new Error(`errors in the page: ${pageErrors.join('; ')}`)
  })
}

/** The app's files, written by hand: what a developer following the README would write. */
function writeApp(app, { issuer, apiUrl, deps, devDeps }) {
  const write = (file, text) => writeFileSync(join(app, file), text)
  write(
    'package.json',
    JSON.stringify(
      {
        name: 'oauth-spa-tarball-app',
        private: true,
        type: 'module',
        dependencies: deps,
        devDependencies: devDeps,
      },
      null,
      2,
    ),
  )
  write(
    'index.html',
    `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>oauth-spa from npm</title></head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`,
  )
  write(
    'vite.config.ts',
    `import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig({ plugins: [react()] })
`,
  )
  write(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          jsx: 'react-jsx',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        include: ['src'],
      },
      null,
      2,
    ),
  )
  write(
    'src/main.tsx',
    `import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createAuthClient, type AuthError } from '@oauth-spa/core'
import { AuthProvider, useAuth, useAuthCallback, useAuthClient } from '@oauth-spa/react'

const API = ${JSON.stringify(apiUrl)}

const auth = createAuthClient({
  issuer: ${JSON.stringify(issuer)},
  clientId: 'demo-spa',
  redirectUri: \`\${location.origin}/callback\`,
  scope: 'openid profile email offline_access read',
  resource: API,
  allowedOrigins: [API],
})

function Callback({ done }: { done: (to: string) => void }) {
  const { error } = useAuthCallback({ onSuccess: done })
  return <p id="callback">{error ? \`Login failed: \${error.message}\` : 'Signing you in…'}</p>
}

function App() {
  const [path, setPath] = useState(location.pathname)
  const state = useAuth()
  const client = useAuthClient()
  const [answer, setAnswer] = useState('')
  if (path === '/callback') {
    return <Callback done={(to) => { history.replaceState(null, '', to); setPath(to) }} />
  }
  const callApi = async () => {
    try {
      const res = await client.fetch(\`\${API}/api/user-profile\`)
      setAnswer(\`\${res.status} \${await res.text()}\`)
    } catch (err) {
      setAnswer(\`error \${(err as AuthError).message}\`)
    }
  }
  return (
    <main>
      <p id="status">{state.status}</p>
      {state.status === 'authenticated' && <p id="user">{state.user.sub}</p>}
      {state.status === 'unauthenticated' && (
        <button id="login" onClick={() => void state.login({ returnTo: '/' })}>Log in</button>
      )}
      {state.status === 'authenticated' && (
        <button id="call-api" onClick={() => void callApi()}>Call the API</button>
      )}
      {state.error && <p id="error">{state.error.message}</p>}
      <pre id="answer">{answer}</pre>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth}>
      <App />
    </AuthProvider>
  </StrictMode>,
)
`,
  )
  // Type-checked, not bundled: the Vue binding's types resolve from its tarball too.
  write(
    'src/vue-types.ts',
    `import { createAuthPlugin, useAuth, useAccessToken } from '@oauth-spa/vue'
import type { AuthClient, AuthState } from '@oauth-spa/core'

export const plugin = (client: AuthClient) => createAuthPlugin(client)
export type VueAuth = ReturnType<typeof useAuth>
export type VueToken = ReturnType<typeof useAccessToken>
export const statusOf = (state: AuthState): string => state.status
`,
  )
  write(
    'check-imports.mjs',
    `import * as core from '@oauth-spa/core'
import * as react from '@oauth-spa/react'
import * as vue from '@oauth-spa/vue'
for (const [name, mod, keys] of [
  ['@oauth-spa/core', core, ['createAuthClient', 'createAuthFetch', 'dpop', 'AuthError']],
  ['@oauth-spa/react', react, ['AuthProvider', 'useAuth', 'useAccessToken', 'useAuthCallback']],
  ['@oauth-spa/vue', vue, ['createAuthPlugin', 'useAuth', 'useAccessToken', 'useAuthCallback']],
]) {
  for (const key of keys) {
    if (typeof mod[key] !== 'function') throw new Error(name + ' has no export ' + key)
  }
}
`,
  )
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

/** Serves `dir`; any path without a file (e.g. /callback) gets index.html, as SPA hosts do. */
function staticHandler(dir) {
  return (req, res) => {
    serve(req, res).catch(() => {
      res.statusCode = 500
      res.end()
    })
  }
  async function serve(req, res) {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    let file = join(dir, path)
    if (!file.startsWith(dir) || !(await stat(file).catch(() => null))?.isFile()) {
      file = join(dir, 'index.html')
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  }
}

main().then(
  () => finish(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err)
    finish(1)
  },
)
