// `pnpm soak`: several tabs of one browser share one session against the real local servers, with
// short-lived access tokens and refresh-token rotation with reuse detection, for SOAK_SECONDS.
// Every tab calls the API through auth.fetch in a loop (paired with plain fetch calls for the
// latency figures); some tabs reload, one logs out and in again, one forces refreshes. Prints the
// figures and exits non-zero when an invariant breaks:
//   token requests per rotation = 1, invalid_grant = 0, API 401s after the retry = 0,
//   sessions lost = 0, unexpected errors = 0.
//
//   SOAK_SECONDS     duration (default 120)
//   SOAK_TABS        tabs (default 5)
//   SOAK_TOKEN_TTL   access token lifetime at the server, seconds (default 2)
//   SOAK_FORCE_MS    one tab forces a refresh this often (an API rejecting tokens early); 0 = off
//                    (default 1000: the SDK treats lifetimes below 10 s as 10 s, so without it a
//                    rotation happens every ~5 s only)
//   SOAK_RELOAD_MS   tabs 2 and 3 reload this often, staggered (default 15000)
//   SOAK_RELOGIN_MS  the last tab logs out and in again this often (default 45000)
//   SOAK_AUTH_PORT, SOAK_API_PORT, SOAK_ECHO_PORT, SOAK_APP_PORT  (default 23100, 23101, 23102, 23110)
//   CHROMIUM_PATH    default /usr/bin/chromium
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import { createServer } from 'vite'
import { startServers } from '../examples/servers/start.mjs'

const num = (name, fallback) => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) {
    console.error(`soak: ${name} must be a non-negative number; got "${raw}".`)
    process.exit(2)
  }
  return n
}
const cfg = {
  seconds: num('SOAK_SECONDS', 120),
  tabs: Math.max(2, num('SOAK_TABS', 5)),
  ttl: num('SOAK_TOKEN_TTL', 2),
  forceMs: num('SOAK_FORCE_MS', 1000),
  reloadMs: num('SOAK_RELOAD_MS', 15_000),
  reloginMs: num('SOAK_RELOGIN_MS', 45_000),
  ports: {
    auth: num('SOAK_AUTH_PORT', 23100),
    api: num('SOAK_API_PORT', 23101),
    echo: num('SOAK_ECHO_PORT', 23102),
    app: num('SOAK_APP_PORT', 23110),
  },
}
const APP = `http://localhost:${cfg.ports.app}`

// ---- servers and the soak page ----------------------------------------------------------------
const servers = await startServers({
  authPort: cfg.ports.auth,
  apiPort: cfg.ports.api,
  echoPort: cfg.ports.echo,
  appOrigins: [APP],
  accessTokenTtl: cfg.ttl,
  testHooks: false,
})
const root = fileURLToPath(new URL('./soak/', import.meta.url))
const app = await createServer({
  root,
  configFile: false,
  logLevel: 'warn',
  resolve: {
    alias: {
      '@oauth-spa/core': fileURLToPath(new URL('../packages/core/src/index.ts', import.meta.url)),
    },
  },
  server: { port: cfg.ports.app, strictPort: true, host: 'localhost', hmr: false },
  define: {
    'import.meta.env.VITE_ISSUER': JSON.stringify(servers.issuer),
    'import.meta.env.VITE_API_URL': JSON.stringify(servers.apiUrl),
  },
})
await app.listen()
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
})

// ---- what the tabs report ------------------------------------------------------------------------
const calls = [] // { status, authMs, plainMs }
const errors = [] // { tab, name, message, at }
const ended = [] // { tab, reason, at }
let tabRotations = 0
const windows = [] // [start, end] of deliberate logouts (end = Infinity while under way)
const inWindow = (at) => windows.some(([s, e]) => at >= s - 500 && at <= e + 3000)
const refresh = { requests: 0, tokens: new Set() }

let started = Date.now()
const context = await browser.newContext()
await context.exposeBinding('soakReport', (_source, event) => {
  if (event.kind === 'call') calls.push(event)
  else if (event.kind === 'error') {
    errors.push(event)
    // Shown as they happen (the first few), with the time into the run.
    if (errors.length <= 20)
      console.log(
        `soak: +${Math.round((event.at - started) / 1000)} s ${event.tab}: ${event.name}: ${event.message}`,
      )
  } else if (event.kind === 'ended') ended.push(event)
  else if (event.kind === 'rotation') tabRotations++
})
// Every refresh request, seen on the wire: how often each refresh token was presented.
context.on('request', (req) => {
  if (req.method() !== 'POST' || !req.url().startsWith(`${servers.issuer}/token`)) return
  const form = new URLSearchParams(req.postData() ?? '')
  if (form.get('grant_type') !== 'refresh_token') return
  refresh.requests++
  refresh.tokens.add(
    createHash('sha256')
      .update(form.get('refresh_token') ?? '')
      .digest('hex'),
  )
})

const status = (page) => page.locator('#status').textContent()
async function waitStatus(page, want, ms = 20_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if ((await status(page).catch(() => '')) === want) return
    await page.waitForTimeout(100)
  }
  throw new Error(
    `${await page.evaluate(() => window.name)}: status is not ${want} (${page.url()}; ${JSON.stringify(errors.slice(-3))}) ${process.env.SOAK_DEBUG ? await page.content() : ''}`,
  )
}

/** Logs in from `page` through the real server's pages (login and consent when shown). */
async function logIn(page, user) {
  await page.evaluate(() => window.auth.login({ returnTo: '/' }))
  // Off to the server (or, with its session still alive, straight back to the callback).
  await page.waitForURL((u) => !(u.origin === APP && u.pathname === '/'), { waitUntil: 'commit' })
  await page.waitForLoadState()
  for (let step = 0; step < 4 && new URL(page.url()).origin === servers.issuer; step++) {
    const before = page.url()
    const login = page.locator('input[name=login]')
    const consent = page.getByRole('button', { name: /continue/i })
    await login.or(consent).first().waitFor()
    if (await login.count()) {
      await page.fill('input[name=login]', user)
      await page.fill('input[name=password]', 'any-password')
      await page.click('button[type=submit]')
    } else {
      await consent.click()
    }
    await page.waitForURL((u) => u.href !== before)
    await page.waitForLoadState()
  }
  await waitStatus(page, 'authenticated')
}

const pages = []
for (let i = 1; i <= cfg.tabs; i++) {
  const page = await context.newPage()
  await page.addInitScript((name) => (window.name = name), `tab${i}`)
  await page.goto(`${APP}/`)
  if (i === 1) {
    await waitStatus(page, 'unauthenticated')
    await logIn(page, 'soak')
  } else {
    await waitStatus(page, 'authenticated')
  }
  pages.push(page)
}
started = Date.now()
const deadline = started + cfg.seconds * 1000
console.log(
  `soak: ${cfg.tabs} tabs, ${cfg.seconds} s, access tokens ${cfg.ttl} s, forced refresh every ${cfg.forceMs || '—'} ms, reloads every ${cfg.reloadMs} ms, relogin every ${cfg.reloginMs} ms`,
)

// ---- the drivers ---------------------------------------------------------------------------------
const busy = new Set()
const forceTab = pages[Math.min(3, pages.length - 1)]
const reloginTab = pages[pages.length - 1]
const reloadTabs = pages.slice(1, 3).filter((p) => p !== reloginTab && p !== forceTab)
const drivers = []
const every = (ms, offset, fn) => {
  if (!ms) return
  const run = async () => {
    while (Date.now() + ms < deadline) {
      await new Promise((r) => setTimeout(r, ms))
      await fn().catch((err) =>
        errors.push({ tab: 'runner', name: err.name, message: err.message, at: Date.now() }),
      )
    }
  }
  drivers.push(new Promise((r) => setTimeout(r, offset)).then(run))
}
every(cfg.forceMs, 0, async () => {
  if (busy.has(forceTab)) return
  const outcome = await forceTab.evaluate(() =>
    window.auth.getState().status !== 'authenticated'
      ? 'skipped'
      : window.auth.getAccessToken({ forceRefresh: true }).then(
          () => 'ok',
          (e) => `${e.name}: ${e.message}`,
        ),
  )
  if (outcome !== 'ok' && outcome !== 'skipped')
    errors.push({ tab: 'force', name: outcome.split(':')[0], message: outcome, at: Date.now() })
})
reloadTabs.forEach((tab, i) =>
  every(cfg.reloadMs, (i * cfg.reloadMs) / reloadTabs.length, async () => {
    busy.add(tab)
    try {
      await tab.reload()
      await waitStatus(tab, 'authenticated').catch(() => {
        if (!inWindow(Date.now())) throw new Error('a reloaded tab is not authenticated')
      })
    } finally {
      busy.delete(tab)
    }
  }),
)
every(cfg.reloginMs, cfg.reloginMs / 3, async () => {
  const window_ = [Date.now(), Infinity]
  windows.push(window_)
  busy.add(reloginTab)
  try {
    await reloginTab.evaluate(() => window.auth.logout({ localOnly: true }))
    await logIn(reloginTab, 'soak')
    // Every other tab follows the new session (the 'session' message).
    for (const p of pages) if (!busy.has(p)) await waitStatus(p, 'authenticated')
  } finally {
    window_[1] = Date.now()
    busy.delete(reloginTab)
  }
})

const progress = setInterval(() => {
  const s = Math.round((Date.now() - started) / 1000)
  console.log(
    `soak: ${s} s, ${calls.length} API calls, ${refresh.tokens.size} rotations, ${servers.stats.refreshTokenErrors} invalid_grant, ${errors.length} errors`,
  )
}, 30_000)
await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))
await Promise.all(drivers)
clearInterval(progress)
for (const p of pages) await p.evaluate(() => (window.soakStop = true)).catch(() => {})
await new Promise((r) => setTimeout(r, 1500))
const finalStatus = await Promise.all(pages.map((p) => status(p).catch(() => 'gone')))

// ---- figures -------------------------------------------------------------------------------------
const pct = (xs, p) => {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const ms = (x) => `${x.toFixed(2)} ms`
const overhead = calls.map((c) => c.authMs - c.plainMs)
const unexpected = errors.filter(
  (e) => !(inWindow(e.at) && /LoginRequired|login_required/.test(`${e.name} ${e.message}`)),
)
const lost =
  ended.filter((e) => e.reason === 'expired' || e.reason === 'invalid_session').length +
  ended.filter((e) => e.reason === 'other_tab' && !inWindow(e.at)).length +
  finalStatus.filter((s) => s !== 'authenticated').length
const rotations = refresh.tokens.size
const perRotation = rotations ? refresh.requests / rotations : NaN
const figures = {
  seconds: Math.round((Date.now() - started) / 1000),
  tabs: cfg.tabs,
  apiCalls: calls.length,
  rotations,
  refreshRequests: refresh.requests,
  refreshRequestsAtServer: servers.stats.token.refresh_token,
  tokenRequestsPerRotation: Number(perRotation.toFixed(3)),
  refreshesReportedByTabs: tabRotations,
  invalidGrant: servers.stats.refreshTokenErrors,
  api401AfterRetry: calls.filter((c) => c.status === 401).length,
  apiOtherNon200: calls.filter((c) => c.status !== 200 && c.status !== 401).length,
  sessionsLost: lost,
  relogins: windows.length,
  unexpectedErrors: unexpected.length,
  authFetchMs: {
    p50: pct(
      calls.map((c) => c.authMs),
      50,
    ),
    p99: pct(
      calls.map((c) => c.authMs),
      99,
    ),
  },
  plainFetchMs: {
    p50: pct(
      calls.map((c) => c.plainMs),
      50,
    ),
    p99: pct(
      calls.map((c) => c.plainMs),
      99,
    ),
  },
  addedByAuthFetchMs: { p50: pct(overhead, 50), p99: pct(overhead, 99) },
}
console.log('')
console.log(`rotations                        ${figures.rotations}`)
console.log(
  `token requests per rotation      ${figures.tokenRequestsPerRotation} (${figures.refreshRequests} refresh requests)`,
)
console.log(`invalid_grant                    ${figures.invalidGrant}`)
console.log(`API 401s after the retry         ${figures.api401AfterRetry}`)
console.log(`sessions lost                    ${figures.sessionsLost}`)
console.log(
  `API calls through auth.fetch     ${figures.apiCalls} (${figures.apiOtherNon200} other non-200)`,
)
console.log(`relogins                         ${figures.relogins}`)
console.log(`unexpected errors                ${figures.unexpectedErrors}`)
console.log(
  `auth.fetch adds over fetch       p50 ${ms(figures.addedByAuthFetchMs.p50)}, p99 ${ms(figures.addedByAuthFetchMs.p99)} (auth.fetch p50 ${ms(figures.authFetchMs.p50)} / p99 ${ms(figures.authFetchMs.p99)}; fetch p50 ${ms(figures.plainFetchMs.p50)} / p99 ${ms(figures.plainFetchMs.p99)})`,
)
console.log(`SOAK_RESULT ${JSON.stringify(figures)}`)
for (const e of unexpected.slice(0, 10)) console.log(`  error in ${e.tab}: ${e.name}: ${e.message}`)

const invariants = [
  rotations < 1 && 'no rotation happened',
  perRotation !== 1 && 'a refresh token was presented more than once',
  figures.invalidGrant > 0 && 'invalid_grant',
  figures.api401AfterRetry > 0 && 'API 401 after the retry',
  figures.sessionsLost > 0 && 'sessions lost',
  figures.unexpectedErrors > 0 && 'unexpected errors',
  figures.refreshRequestsAtServer !== figures.refreshRequests &&
    'refresh requests seen ≠ counted by the server',
]
const broken = invariants.filter(Boolean)
// For .ci/run's closing line.
console.log(`check soak: ${invariants.length - broken.length} passed, ${broken.length} failed`)

await context.close()
await browser.close()
await app.close()
await servers.close()
if (broken.length) {
  console.error(`soak: FAILED: ${broken.join(', ')}`)
  process.exit(1)
}
console.log('soak: all invariants held')
