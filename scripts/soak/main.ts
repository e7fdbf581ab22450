// The page every soak tab runs (scripts/soak.mjs): the SDK from source, a loop of API calls
// through auth.fetch paired with plain fetch calls for the latency figures, results reported
// to the soak runner through the `soakReport` binding.
import { createAuthClient, type AuthClient } from '@oauth-spa/core'

declare global {
  interface Window {
    auth: AuthClient
    soakReport?: (event: SoakEvent) => Promise<void>
    soakStop?: boolean
  }
}
export type SoakEvent =
  | { kind: 'call'; tab: string; status: number; authMs: number; plainMs: number; at: number }
  | { kind: 'error'; tab: string; name: string; message: string; at: number }
  | { kind: 'rotation'; tab: string; at: number }
  | { kind: 'ended'; tab: string; reason: string; at: number }

const params = new URLSearchParams(location.search)
const env = import.meta.env
const api = `${env.VITE_API_URL}/api/user-profile`
const auth = createAuthClient({
  issuer: env.VITE_ISSUER,
  clientId: 'demo-spa',
  redirectUri: `${location.origin}/callback`,
  scope: 'openid profile email offline_access read',
  resource: env.VITE_API_URL,
  allowedOrigins: [env.VITE_API_URL],
})
window.auth = auth
// The runner names each tab (window.name, set before the page loads); nothing is kept in storage.
const tab = window.name || '?'
const report = (e: SoakEvent) => window.soakReport?.(e).catch(() => {})

const render = () => {
  document.getElementById('status')!.textContent = auth.getState().status
}
auth.subscribe(render)
render()
auth.on('tokenRefreshed', () => report({ kind: 'rotation', tab, at: Date.now() }))
auth.on('sessionEnded', ({ reason }) => report({ kind: 'ended', tab, reason, at: Date.now() }))

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function loop() {
  await auth.ready
  const pause = Number(params.get('pause') ?? 50)
  let n = 0
  while (!window.soakStop) {
    if (auth.getState().status !== 'authenticated' || document.visibilityState === 'hidden') {
      await sleep(100)
      continue
    }
    try {
      // Plain fetch with the token attached by hand: the baseline auth.fetch is compared with.
      const token = await auth.getAccessToken()
      const timed = async (call: () => Promise<Response>) => {
        const t0 = performance.now()
        const res = await call()
        await res.arrayBuffer()
        return { status: res.status, ms: performance.now() - t0 }
      }
      const plainCall = () => fetch(api, { headers: { authorization: `Bearer ${token}` } })
      const authCall = () => auth.fetch(api)
      // Alternating the order, so that neither kind always meets a warm connection.
      const first = (n++ & 1) === 0
      const a = first ? await timed(authCall) : undefined
      const plain = await timed(plainCall)
      const b = a ?? (await timed(authCall))
      await report({
        kind: 'call',
        tab,
        status: b.status,
        authMs: b.ms,
        plainMs: plain.ms,
        at: Date.now(),
      })
    } catch (err) {
      const e = err as Error
      await report({ kind: 'error', tab, name: e.name, message: e.message, at: Date.now() })
    }
    await sleep(pause)
  }
}

if (auth.isCallback()) {
  auth.handleRedirectCallback().then(
    ({ returnTo }) => history.replaceState(null, '', returnTo),
    (err: Error) => {
      void report({ kind: 'error', tab, name: err.name, message: err.message, at: Date.now() })
      history.replaceState(null, '', '/')
    },
  )
}
void loop()
