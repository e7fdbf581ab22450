import { createServer, type Server } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext } from '@playwright/test'
import { build } from 'vite'
import { API, API2, CSP_APP, CSP_APP_PORT, ISSUER, OTHER } from './env'
import { dropRefreshToken, login, readSession, resetStats, stats } from './helpers'

// The vanilla example, built for production (no dev server: Vite's dev client injects inline
// scripts), served on the app's origin with a strict Content-Security-Policy and Trusted Types.
// Login, API calls, silent renewal and logout must not cause a single `securitypolicyviolation`.
// docs/csp.md explains the policy.

/** The policy an app using the SDK needs (see docs/csp.md), with this test's origins. */
export const strictPolicy = (servers: { issuer: string; apis: string[] }): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${[servers.issuer, ...servers.apis].join(' ')}`,
    // Silent renewal: the authorization server in a hidden iframe, redirecting back to the app.
    `frame-src ${servers.issuer} 'self'`,
    "frame-ancestors 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ')

const POLICY = strictPolicy({ issuer: ISSUER, apis: [API, API2] })
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
}

let dist = ''
let server: Server | undefined
test.beforeAll(async () => {
  test.setTimeout(120_000)
  dist = await mkdtemp(join(tmpdir(), 'oauth-spa-csp-'))
  const root = fileURLToPath(new URL('../examples/vanilla/', import.meta.url))
  await build({
    root,
    configFile: `${root}vite.config.ts`,
    logLevel: 'warn',
    build: { outDir: dist, emptyOutDir: true },
    define: {
      'import.meta.env.VITE_ISSUER': JSON.stringify(ISSUER),
      'import.meta.env.VITE_API_URL': JSON.stringify(API),
      'import.meta.env.VITE_OTHER_URL': JSON.stringify(OTHER),
      'import.meta.env.VITE_API2_URL': JSON.stringify(API2),
      'import.meta.env.VITE_DPOP': JSON.stringify('0'),
      'import.meta.env.VITE_AUTO_REFRESH': JSON.stringify('0'),
    },
  })
  server = await serveStrict(dist)
})
test.afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)))
  if (dist) await rm(dist, { recursive: true, force: true })
})

/** Serves the build on CSP_APP: files as they are, every other path the app's page with the policy. */
async function serveStrict(root: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', CSP_APP).pathname
    const file = normalize(join(root, path))
    let body: Buffer | undefined
    let type = TYPES[extname(file)]
    if (file.startsWith(root) && type) body = await readFile(file).catch(() => undefined)
    if (!body) {
      // An SPA: every other path (/, /callback, /logged-out) is the app's page.
      body = await readFile(join(root, 'index.html'))
      type = TYPES['.html']
    }
    res.writeHead(200, {
      'content-type': type!,
      'cache-control': 'no-store',
      ...(type === TYPES['.html'] ? { 'content-security-policy': POLICY } : {}),
    })
    res.end(body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(CSP_APP_PORT, 'localhost', resolve)
  })
  return server
}

interface Violation {
  documentURI: string
  blockedURI: string
  violatedDirective: string
  sample: string
}

/** Every `securitypolicyviolation` in any document of the context, reported to the test. */
async function collectViolations(context: BrowserContext): Promise<Violation[]> {
  const seen: Violation[] = []
  await context.exposeBinding('__cspViolation', (_source, v: Violation) => void seen.push(v))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __cspViolation?: (v: unknown) => void }).__cspViolation
      report?.({
        documentURI: e.documentURI,
        blockedURI: e.blockedURI,
        violatedDirective: e.violatedDirective,
        sample: e.sample,
      })
    })
  })
  return seen
}

test('under a strict CSP with Trusted Types: login, API call, silent renewal and logout, no violation', async ({
  context,
}) => {
  const violations = await collectViolations(context)
  const page = await context.newPage()
  const csp: string[] = []
  page.on('response', (r) => {
    if (r.url().startsWith(CSP_APP) && r.request().resourceType() === 'document')
      csp.push(r.headers()['content-security-policy'] ?? '')
  })

  await login(page, CSP_APP, 'cspuser')
  // The app really ran under the policy, and it was enforced (not report-only).
  expect(csp.length).toBeGreaterThan(0)
  expect(csp.every((p) => p === POLICY)).toBe(true)
  const enforced = await page.evaluate(() => {
    try {
      document.body.insertAdjacentHTML('beforeend', '<b>x</b>')
      return false
    } catch {
      return true
    }
  })
  expect(enforced).toBe(true) // Trusted Types refuse a string sink
  violations.length = 0 // that probe was ours

  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')

  // Silent renewal (no refresh token): prompt=none in a hidden iframe on the server's origin.
  await dropRefreshToken(page)
  await page.reload()
  await expect(page.locator('#status')).toHaveText('authenticated')
  const before = (await readSession(page))!.tokens[API]!.accessToken
  await resetStats()
  const renewed = await page.evaluate(() => window.auth.getAccessToken({ forceRefresh: true }))
  expect(renewed).not.toBe(before)
  expect((await stats()).token).toEqual({ authorization_code: 1, refresh_token: 0, device_code: 0 })
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')

  // Logout: revocation, then RP-initiated logout and back.
  await page.click('#logout')
  await page.waitForURL(`${ISSUER}/session/end**`)
  await page.click('button[value=yes]')
  await page.waitForURL(`${CSP_APP}/**`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')

  expect(violations.filter((v) => v.documentURI.startsWith(CSP_APP))).toEqual([])
})

test('the violation collector itself sees a violation (the test can fail)', async ({ context }) => {
  const violations = await collectViolations(context)
  const page = await context.newPage()
  await page.goto(`${CSP_APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  // A request to an origin the policy does not list.
  await page.evaluate((other) => fetch(`${other}/public/data`).catch(() => {}), OTHER)
  await expect.poll(() => violations.length).toBeGreaterThan(0)
  expect(violations[0]!.violatedDirective).toBe('connect-src')
})
