import { act, StrictMode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { NetworkError } from '@oauth-spa/core'
import { AuthProvider } from '@oauth-spa/react'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { encode } from 'uqr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { App } from './App'
import { apiUrl } from './config'

// The example's components against the test double: no server, no redirect.
declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true

let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  history.replaceState(null, '', '/')
})

function renderApp(auth: TestAuthClient, path = '/') {
  history.replaceState(null, '', path)
  const el = document.body.appendChild(document.createElement('div'))
  root = createRoot(el)
  act(() =>
    root!.render(
      <StrictMode>
        <AuthProvider client={auth}>
          <App />
        </AuthProvider>
      </StrictMode>,
    ),
  )
}
const $ = (selector: string) => document.querySelector<HTMLElement>(selector)
const click = (selector: string) => act(() => $(selector)!.click())
const settle = () => act(() => new Promise<void>((r) => setTimeout(r, 0)))
/** How many dark modules the QR code of `text` has: one `M` per module in the SVG path. */
const darkModules = (text: string) => encode(text, { border: 2 }).data.flat().filter(Boolean).length

describe('React example', () => {
  it('logs in, shows the user, calls the API with the token, logs out', async () => {
    const api = vi.fn<typeof fetch>(async () => Response.json({ sub: 'ada', tokenType: 'Bearer' }))
    const auth = createTestAuthClient({ allowedOrigins: [apiUrl], fetch: api })
    renderApp(auth)
    expect($('#status')!.textContent).toBe('unauthenticated')
    expect($('#call-api')).toBeNull()

    click('#login')
    expect(auth.calls.login).toEqual([{ returnTo: '/' }])
    act(() => auth.signIn({ name: 'Ada Lovelace' }, { token: 'token-1' }))
    expect($('#status')!.textContent).toBe('authenticated')
    expect($('#user-name')!.textContent).toBe('Ada Lovelace')
    await settle()
    expect($('#token-info')!.textContent).toBe('present (7 characters)')

    click('#call-api')
    await settle()
    const request = api.mock.calls[0]![0] as Request
    expect(request.url).toBe(`${apiUrl}/api/user-profile`)
    expect(request.headers.get('authorization')).toBe('Bearer token-1')
    expect($('#api-result')!.textContent).toBe(
      'HTTP 200\n{\n  "sub": "ada",\n  "tokenType": "Bearer"\n}',
    )

    click('#logout')
    await settle()
    expect(auth.calls.logout).toEqual([{ returnTo: '/' }])
    expect($('#status')!.textContent).toBe('unauthenticated')
  })

  it('sends a signed-out visitor of /notes to login, back to /notes', async () => {
    const auth = createTestAuthClient()
    renderApp(auth, '/notes?sort=new')
    expect($('#signing-in')).not.toBeNull()
    expect(auth.calls.login).toEqual([{ returnTo: '/notes?sort=new' }])
    expect($('#notes-title')).toBeNull()

    // Back from the server: the callback route completes the login and lands on /notes.
    act(() => root!.unmount())
    renderApp(auth, '/callback?code=c&state=s')
    await settle()
    expect(location.pathname + location.search).toBe('/notes?sort=new')
    expect($('#notes-title')!.textContent).toBe('Notes')
    expect($('#status')!.textContent).toBe('authenticated')
  })

  it('shows why a login failed', async () => {
    const auth = createTestAuthClient()
    auth.failNext('login', new NetworkError('Server down.'))
    renderApp(auth)
    click('#login')
    await settle()
    expect($('#error')!.textContent).toBe('NetworkError: Server down.')
  })

  it('logs in on another device: code, link and QR code; cancel, denied, then approved', async () => {
    const now = Date.UTC(2030, 0, 1, 12)
    const auth = createTestAuthClient({ now: () => now })
    renderApp(auth)
    expect($('#device-start')!.textContent).toBe('Log in on another device')
    expect($('#device-code')).toBeNull()

    click('#device-start')
    await settle()
    expect(auth.calls.deviceLogin).toEqual([undefined])
    expect($('#device-start')).toBeNull()
    expect($('#device-code')!.textContent).toBe('TEST-CODE')
    const link = $('#device-uri') as HTMLAnchorElement
    expect(link.tagName).toBe('A')
    expect(link.getAttribute('href')).toBe('https://as.example/device')
    expect(link.textContent).toBe('https://as.example/device')
    // The QR code is the link with the code filled in, drawn module by module.
    const qr = $('#device-qr svg')!
    expect(qr.getAttribute('aria-label')).toBe('QR code of the verification link')
    expect(qr.querySelector('path')!.getAttribute('d')!.split('M')).toHaveLength(
      darkModules('https://as.example/device?user_code=TEST-CODE') + 1,
    )
    expect($('#device-expires')!.textContent).toBe(new Date(now + 600_000).toLocaleTimeString())
    expect($('#device-status')!.textContent).toBe('Waiting for approval on the other device…')

    // Cancelled: the client stops waiting, the screen is back to the button.
    click('#device-cancel')
    await settle()
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
    expect($('#device-code')).toBeNull()
    expect($('#device-start')).not.toBeNull()
    expect($('#device-status')!.textContent).toBe('')

    click('#device-start')
    await settle()
    act(() => auth.denyDeviceLogin('access_denied'))
    await settle()
    expect($('#device-status')!.textContent).toBe('Not signed in (access_denied).')
    expect($('#status')!.textContent).toBe('unauthenticated')
    expect($('#device-code')).toBeNull()

    click('#device-start')
    await settle()
    expect(auth.calls.deviceLogin).toHaveLength(3)
    act(() => auth.approveDeviceLogin({ name: 'Dora' }))
    await settle()
    expect($('#status')!.textContent).toBe('authenticated')
    expect($('#user-name')!.textContent).toBe('Dora')
    expect($('#device-status')!.textContent).toBe('Approved: signed in.')
    expect($('#device-start')).toBeNull()
    expect($('#call-api')).not.toBeNull()
  })

  it('shows server values that are no web link as text, and no QR code of them', async () => {
    const auth = createTestAuthClient()
    const deviceLogin = auth.deviceLogin
    auth.deviceLogin = async (options) => ({
      ...(await deviceLogin(options)),
      verificationUri: 'javascript:alert(1)',
      verificationUriComplete: 'javascript:alert(2)',
    })
    renderApp(auth)
    click('#device-start')
    await settle()
    expect($('#device-uri')!.tagName).toBe('SPAN')
    expect($('#device-uri')!.textContent).toBe('javascript:alert(1)')
    expect(document.querySelector('a[href^="javascript:"]')).toBeNull()
    expect($('#device-qr')).toBeNull()
    expect($('#device-code')!.textContent).toBe('TEST-CODE')
  })
})
