import { createAuthClient, dpop, type AuthClient } from '@oauth-spa/core'
import { createWalkthrough } from './walkthrough-log'
import { mountWalkthrough } from './walkthrough-panel'
import { mountDeviceLogin } from './device-login'

const env = import.meta.env
const issuer = env.VITE_ISSUER ?? 'http://localhost:9000'
const apiUrl = env.VITE_API_URL ?? 'http://localhost:9001'
const otherUrl = env.VITE_OTHER_URL ?? 'http://localhost:9002'
// Optional second API: its tokens come from the same refresh token, requested with `resource`.
const api2Url = env.VITE_API2_URL

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
  scope: 'openid profile email offline_access read write',
  resource: apiUrl,
  allowedOrigins: api2Url ? [apiUrl, { url: api2Url, resource: api2Url }] : [apiUrl],
  autoRefresh: env.VITE_AUTO_REFRESH !== '0',
  dpop: useDpop ? dpop : undefined,
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

$('login').onclick = () => auth.login({ returnTo: '/' })
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
