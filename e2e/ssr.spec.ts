import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { createServer as createVite, type ViteDevServer } from 'vite'
import { API, ISSUER, SSR_REACT, SSR_REACT_PORT, SSR_VUE, SSR_VUE_PORT } from './env'
import { login, readSession } from './helpers'

// Server rendering, then hydration in the browser: the React and Vue examples rendered by Node
// (examples/*/src/ssr.ts[x], through Vite's SSR loader) with the same module-level client the
// browser uses, then taken over by examples/*/src/hydrate.ts[x]. The server's HTML shows the
// loading state and no token; hydration matches it (no mismatch warning) and then reaches the
// stored session's state.

/**
 * The bindings hydrate from the server's snapshot (always `loading`), then show the client's own
 * state: React's `useAuth` and `<RequireAuth>` give `useSyncExternalStore` a constant loading
 * `getServerSnapshot`; Vue's `useAuth` starts from it while `app.mount` hydrates server HTML and
 * reads `client.getState()` once mounted. So a session read before hydration is no mismatch.
 */
interface SsrApp {
  name: 'React' | 'Vue'
  origin: string
  port: number
  root: string
  ssrEntry: string
  hydrateEntry: string
  container: string
}

const APPS: SsrApp[] = [
  {
    name: 'React',
    origin: SSR_REACT,
    port: SSR_REACT_PORT,
    root: fileURLToPath(new URL('../examples/react/', import.meta.url)),
    ssrEntry: '/src/ssr.tsx',
    hydrateEntry: '/src/hydrate.tsx',
    container: 'root',
  },
  {
    name: 'Vue',
    origin: SSR_VUE,
    port: SSR_VUE_PORT,
    root: fileURLToPath(new URL('../examples/vue/', import.meta.url)),
    ssrEntry: '/src/ssr.ts',
    hydrateEntry: '/src/hydrate.ts',
    container: 'app',
  },
]

/** A tiny SSR server: Vite in middleware mode serves the modules, every other path is rendered. */
async function serve(app: SsrApp): Promise<() => Promise<void>> {
  const server: Server = createServer((req, res) => {
    vite.middlewares(req, res, async () => {
      const url = req.url ?? '/'
      try {
        const { render } = (await vite.ssrLoadModule(app.ssrEntry)) as {
          render(url: string): string | Promise<string>
        }
        const body = await render(url)
        const page = `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><title>oauth-spa · ${app.name} SSR</title></head>
  <body>
    <div id="${app.container}">${body}</div>
    <!-- The client's module on its own, as bundlers split it: it may run well before hydration. -->
    <script type="module" src="/src/auth.ts"></script>
    <script type="module" src="${app.hydrateEntry}"></script>
  </body>
</html>`
        res.setHeader('content-type', 'text/html; charset=utf-8')
        res.end(await vite.transformIndexHtml(url, page))
      } catch (err) {
        vite.ssrFixStacktrace(err as Error)
        res.statusCode = 500
        res.end(String((err as Error).stack))
      }
    })
  })
  // Created second (the handler above runs only once requests come): its WebSocket needs `server`.
  const vite: ViteDevServer = await createVite({
    root: app.root,
    configFile: `${app.root}vite.config.ts`,
    appType: 'custom',
    // HMR's WebSocket on this server: its default is a fixed port every other Vite wants too.
    server: { middlewareMode: true, ws: { server } },
    define: {
      'import.meta.env.VITE_ISSUER': JSON.stringify(ISSUER),
      'import.meta.env.VITE_API_URL': JSON.stringify(API),
      'import.meta.env.VITE_AUTO_REFRESH': JSON.stringify('0'),
    },
    logLevel: 'warn',
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(app.port, 'localhost', resolve)
  })
  return async () => {
    await vite.close()
    await new Promise((resolve) => server.close(resolve))
  }
}

const closers: (() => Promise<void>)[] = []
test.beforeAll(async () => {
  test.setTimeout(120_000)
  for (const app of APPS) closers.push(await serve(app))
})
test.afterAll(async () => {
  await Promise.all(closers.map((close) => close()))
})

/** Hydration problems the page reports: React's recoverable errors, Vue's warnings. */
function watchHydration(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (msg) => {
    const text = msg.text()
    if (/hydrat|did not match|mismatch/i.test(text)) problems.push(`${msg.type()}: ${text}`)
  })
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  return problems
}

/** Loads `path` and returns the HTML the server sent for it (before any script ran). */
async function loadServerRendered(page: Page, url: string): Promise<string> {
  const response = page.waitForResponse((r) => r.url() === url && r.request().isNavigationRequest())
  await page.goto(url)
  const res = await response
  expect(res.status()).toBe(200)
  return res.text()
}

for (const app of APPS) {
  test.describe(`${app.name} rendered on the server`, () => {
    test(`${app.name}: the server sends the loading state; hydrated with no session, unauthenticated`, async ({
      page,
    }) => {
      const problems = watchHydration(page)
      const html = await loadServerRendered(page, `${app.origin}/`)
      expect(html).toContain('<strong id="status">loading</strong>')
      expect(html).toContain('<span id="token-info">none</span>')
      expect(html).not.toContain('id="login"')
      await expect(page.locator('#status')).toHaveText('unauthenticated')
      await expect(page.locator('#token-info')).toHaveText('none')
      // The hydrated page is live: its buttons work.
      await expect(page.locator('#login')).toBeVisible()
      expect(problems).toEqual([])
    })

    test(`${app.name}: with a stored session, the server still sends loading and no token; hydration reaches authenticated`, async ({
      page,
    }) => {
      const problems = watchHydration(page)
      // The normal login on this origin: server-rendered /callback, hydrated, completes it.
      await login(page, app.origin)
      const session = await readSession(page)
      const accessToken = session!.tokens[API]!.accessToken
      expect(accessToken).toBeTruthy()

      for (const path of ['/', '/notes']) {
        problems.length = 0
        const html = await loadServerRendered(page, `${app.origin}${path}`)
        expect(html).toContain('<strong id="status">loading</strong>')
        expect(html).not.toContain(accessToken)
        expect(html).not.toContain(session!.refreshToken!)
        expect(html).not.toContain('Signed in as')
        await expect(page.locator('#status')).toHaveText('authenticated')
        await expect(page.locator('#user-name')).toHaveText('Alice Example')
        if (path === '/notes') {
          // The guarded route: rendered for the session restored in the browser, no login.
          await expect(page.locator('#notes-title')).toHaveText('Notes')
          expect(new URL(page.url()).pathname).toBe('/notes')
        } else {
          await expect(page.locator('#token-info')).toHaveText(
            `present (${accessToken.length} characters)`,
          )
        }
        // React hydrates as soon as its entry runs, before the stored session is read. Vue's entry
        // waits for the router (the auth guard is async), by which time it was: the pending
        // bindings problem, shown by the last tests.
        if (app.name === 'React') expect(problems).toEqual([])
      }

      // Logged out in the browser: the next server-rendered page hydrates to unauthenticated.
      await page.goto(`${app.origin}/`)
      await expect(page.locator('#status')).toHaveText('authenticated')
      await page.evaluate(() => window.auth.logout({ localOnly: true }))
      await expect(page.locator('#status')).toHaveText('unauthenticated')
      problems.length = 0
      const html = await loadServerRendered(page, `${app.origin}/`)
      expect(html).toContain('<strong id="status">loading</strong>')
      await expect(page.locator('#status')).toHaveText('unauthenticated')
      expect(await readSession(page)).toBeUndefined()
      expect(problems).toEqual([])
    })
  })
}

/** The stored session's state is known before hydration starts (a slow chunk, a busy device). */
for (const app of APPS) {
  test(`${app.name}: hydration that starts after the session was read still matches the server's HTML`, async ({
    page,
  }) => {
    const problems = watchHydration(page)
    await login(page, app.origin)
    // The client module runs at once and reads the stored session; the hydrating entry is late.
    await page.route(`${app.origin}${app.hydrateEntry}`, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await route.continue()
    })
    problems.length = 0
    const html = await loadServerRendered(page, `${app.origin}/`)
    expect(html).toContain('<strong id="status">loading</strong>')
    await expect(page.locator('#status')).toHaveText('authenticated')
    await expect(page.locator('#user-name')).toHaveText('Alice Example')
    // Let hydration finish, then look for its complaints.
    await page.waitForTimeout(500)
    expect(problems).toEqual([])
  })
}
