import {
  auth0,
  cognito,
  createAuthClient,
  dpop,
  entra,
  keycloak,
  okta,
  type AuthClient,
  type ProviderAdapter,
} from '@oauth-spa/core'
import { createWalkthrough } from './walkthrough-log'
import { mountWalkthrough } from './walkthrough-panel'
import { mountDeviceLogin } from './device-login'

const env = import.meta.env
const issuer = env.VITE_ISSUER ?? 'http://localhost:9000'
const apiUrl = env.VITE_API_URL ?? 'http://localhost:9001'
const otherUrl = env.VITE_OTHER_URL ?? 'http://localhost:9002'
// Optional second API: its tokens come from the same refresh token, requested with `resource`.
const api2Url = env.VITE_API2_URL

// A provider preset (VITE_PROVIDER, e.g. with `PROVIDER=cognito pnpm demo`): the provider's quirks
// are the preset's business, the app only says which scopes the API needs. Unset: a generic
// standards-following server, with the scopes and the API resource named here.
const providers: Record<string, () => ProviderAdapter> = {
  cognito: () => cognito({ domain: env.VITE_COGNITO_DOMAIN || new URL(issuer).origin }),
  // Auth0 picks the API by `audience`, not by RFC 8707 `resource`.
  auth0: () => auth0({ audience: env.VITE_AUTH0_AUDIENCE || apiUrl }),
  entra: () => entra(),
  keycloak: () => keycloak(),
  okta: () => okta(),
}
const providerName = env.VITE_PROVIDER || undefined
if (providerName && !providers[providerName]) {
  throw new Error(`VITE_PROVIDER must be one of ${Object.keys(providers).join(', ')}`)
}
const provider = providerName ? providers[providerName]!() : undefined
const apiScope = 'read write'

// DPoP on or off: VITE_DPOP, unless switched in the walkthrough panel (`?dpop=1|0`, kept in
// localStorage: a preference, not a secret; the stored session must find the same mode in every tab).
const DPOP_KEY = 'oauth-spa-demo:dpop'
const query = new URLSearchParams(location.search)
if (query.has('dpop')) {
  localStorage.setItem(DPOP_KEY, query.get('dpop') === '1' ? '1' : '0')
  query.delete('dpop')
  history.replaceState(null, '', `${location.pathname}${query.size ? `?${query}` : ''}`)
}
const useDpop = (localStorage.getItem(DPOP_KEY) ?? env.VITE_DPOP) === '1'
// Logout after inactivity, for this page load only: `?idle=SECONDS` (and `&idle-warning=SECONDS`,
// default a quarter of it) turns `idleTimeout` on. Off by default; the idle e2e switches it on.
const idleTimeout = Number(query.get('idle')) || undefined
const idleWarning = Number(query.get('idle-warning')) || undefined
// `?par=1`: the client registered with require_pushed_authorization_requests (kept like DPoP, so
// the callback page uses the same client). `?popupTimeout=<s>`: a short popup wait, for tests.
const PAR_KEY = 'oauth-spa-demo:par'
if (query.has('par')) localStorage.setItem(PAR_KEY, query.get('par') === '1' ? '1' : '0')
const usePar = localStorage.getItem(PAR_KEY) === '1'
const popupTimeout = Number(query.get('popupTimeout')) || undefined

// The walkthrough observes the SDK through its public options only: the `fetch` and `navigate`
// it is given, its events and its state.
const walkthrough = createWalkthrough()

const auth = createAuthClient({
  issuer,
  clientId: usePar ? 'demo-spa-par' : 'demo-spa',
  par: usePar,
  popupTimeout,
  redirectUri: `${location.origin}/callback`,
  silentRedirectUri: `${location.origin}/silent-callback.html`,
  // With a preset, its default scope (Cognito: no offline_access) plus the API's at login.
  scope: provider ? undefined : `openid profile email offline_access ${apiScope}`,
  resource: providerName === 'auth0' ? undefined : apiUrl,
  provider,
  allowedOrigins: api2Url ? [apiUrl, { url: api2Url, resource: api2Url }] : [apiUrl],
  autoRefresh: env.VITE_AUTO_REFRESH !== '0',
  dpop: useDpop ? dpop : undefined,
  idleTimeout,
  idleWarning,
  fetch: walkthrough.observeFetch((input, init) => fetch(input, init)),
  navigate: walkthrough.observeNavigate((url) => location.assign(url)),
})
walkthrough.observeEvents(auth)
mountWalkthrough(document.getElementById('walkthrough')!, walkthrough, {
  dpop: useDpop,
  canSwitch: () => auth.getState().status === 'unauthenticated',
  switchDpop: (on) => location.assign(`/?dpop=${on ? 1 : 0}`),
  onStateChange: (listener) => auth.subscribe(listener),
})
// Exposed for the e2e tests and for poking around in devtools.
declare global {
  interface Window {
    auth: AuthClient
  }
}
window.auth = auth

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const show = (id: string, visible: boolean) => ($(id).hidden = !visible)

function render() {
  const state = auth.getState()
  $('status').textContent = state.status
  show('user', state.status === 'authenticated')
  if (state.status === 'authenticated') {
    $('user-name').textContent = String(state.user.name ?? state.user.sub)
  }
  show('login', state.status === 'unauthenticated')
  show('login-popup', state.status === 'unauthenticated')
  for (const id of ['call-api', 'create-note', 'call-other', 'logout']) {
    show(id, state.status === 'authenticated')
  }
  show('error', !!state.error)
  // textContent, never innerHTML: error descriptions come from the server.
  $('error').textContent = state.error ? `${state.error.name}: ${state.error.message}` : ''
}
auth.subscribe(render)
render()

// "Still there?": the time left before the idle logout, counting down until input cancels it.
let countdown: ReturnType<typeof setInterval> | undefined
function hideIdleWarning() {
  clearInterval(countdown)
  show('idle-warning', false)
}
auth.on('idle-warning', ({ remaining }) => {
  const deadline = Date.now() + remaining * 1000
  const tick = () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000))
    $('idle-warning').textContent =
      `Still there? You will be logged out in ${left} s: move the mouse or press a key to stay.`
  }
  clearInterval(countdown)
  tick()
  countdown = setInterval(tick, 1000)
  show('idle-warning', true)
})
auth.on('idle-reset', hideIdleWarning)
auth.on('sessionEnded', hideIdleWarning)

async function showAnswer(request: Promise<Response>) {
  try {
    const res = await request
    const body = await res.text()
    let shown = body
    try {
      shown = JSON.stringify(JSON.parse(body), null, 2)
    } catch {
      // not JSON: show it as it came
    }
    $('api-result').textContent = `HTTP ${res.status}\n${shown}`
  } catch (err) {
    $('api-result').textContent = `${(err as Error).name}: ${(err as Error).message}`
  }
}

$('login').onclick = () => auth.login({ returnTo: '/', scope: provider ? apiScope : undefined })
$('login-popup').onclick = () =>
  auth.login({ popup: true }).catch(() => {
    // shown through state.error
  })
mountDeviceLogin($('device'), auth)
$('logout').onclick = () => auth.logout({ returnTo: '/' })
$('call-api').onclick = () => showAnswer(auth.fetch(`${apiUrl}/api/user-profile`))
$('create-note').onclick = () =>
  showAnswer(
    auth.fetch(`${apiUrl}/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: `Hello at ${new Date().toISOString()}` }),
    }),
  )
// Not in allowedOrigins: this request leaves without a token.
$('call-other').onclick = () => showAnswer(auth.fetch(`${otherUrl}/public/data`))

if (auth.isCallback()) {
  walkthrough.recordCallback(location.href)
  auth.handleRedirectCallback().then(
    ({ returnTo }) => history.replaceState(null, '', returnTo),
    () => history.replaceState(null, '', '/'),
  )
}
