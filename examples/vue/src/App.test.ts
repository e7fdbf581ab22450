import { createApp, nextTick, type App as VueApp } from 'vue'
import { NetworkError } from '@oauth-spa/core'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { createAuthPlugin } from '@oauth-spa/vue'
import { encode } from 'uqr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from './App.vue'
import { apiUrl } from './config'
import { createAppRouter } from './router'

// The example's components against the test double: no server, no redirect.
let app: VueApp | undefined
afterEach(() => {
  app?.unmount()
  app = undefined
  document.body.innerHTML = ''
  history.replaceState(null, '', '/')
})

async function mountApp(auth: TestAuthClient, path = '/') {
  history.replaceState(null, '', path)
  const router = createAppRouter(auth)
  app = createApp(App).use(createAuthPlugin(auth)).use(router)
  app.mount(document.body.appendChild(document.createElement('div')))
  await router.isReady().catch(() => {})
  await settle()
  return router
}
const $ = (selector: string) => document.querySelector<HTMLElement>(selector)
const settle = async () => {
  await new Promise((r) => setTimeout(r, 0))
  await nextTick()
}
async function click(selector: string) {
  $(selector)!.click()
  await settle()
}
/** How many dark modules the QR code of `text` has: one `M` per module in the SVG path. */
const darkModules = (text: string) => encode(text, { border: 2 }).data.flat().filter(Boolean).length

describe('Vue example', () => {
  it('logs in, shows the user, calls the API with the token, logs out', async () => {
    const api = vi.fn<typeof fetch>(async () => Response.json({ sub: 'ada', tokenType: 'Bearer' }))
    const auth = createTestAuthClient({ allowedOrigins: [apiUrl], fetch: api })
    await mountApp(auth)
    expect($('#status')!.textContent).toBe('unauthenticated')
    expect($('#call-api')).toBeNull()
    expect($('#token-info')!.textContent).toBe('none')

    await click('#login')
    expect(auth.calls.login).toEqual([{ returnTo: '/' }])
    auth.signIn({ name: 'Ada Lovelace' }, { token: 'token-1' })
    await settle()
    expect($('#status')!.textContent).toBe('authenticated')
    expect($('#user-name')!.textContent).toBe('Ada Lovelace')
    expect($('#token-info')!.textContent).toBe('present (7 characters)')

    await click('#call-api')
    await vi.waitFor(() => expect($('#api-result')!.textContent).toMatch(/^HTTP 200/))
    const request = api.mock.calls[0]![0] as Request
    expect(request.url).toBe(`${apiUrl}/api/user-profile`)
    expect(request.headers.get('authorization')).toBe('Bearer token-1')
    expect($('#api-result')!.textContent).toBe(
      'HTTP 200\n{\n  "sub": "ada",\n  "tokenType": "Bearer"\n}',
    )

    await click('#logout')
    expect(auth.calls.logout).toEqual([{ returnTo: '/' }])
    expect($('#status')!.textContent).toBe('unauthenticated')
  })

  it('sends a signed-out visitor of /notes to login, and lands there after the callback', async () => {
    const auth = createTestAuthClient()
    const router = await mountApp(auth)
    await click('#nav-notes')
    expect(auth.calls.login).toEqual([{ returnTo: '/notes' }])
    expect(router.currentRoute.value.path).toBe('/')
    expect($('#notes-title')).toBeNull()

    // Back from the server: the callback route completes the login and goes to /notes.
    app!.unmount()
    await mountApp(auth, '/callback?code=c&state=s')
    await vi.waitFor(() => expect($('#notes-title')?.textContent).toBe('Notes'))
    expect(location.pathname + location.search).toBe('/notes')
    expect($('#status')!.textContent).toBe('authenticated')
  })

  it('shows why a login failed', async () => {
    const auth = createTestAuthClient()
    auth.failNext('login', new NetworkError('Server down.'))
    await mountApp(auth)
    await click('#login')
    expect($('#error')!.textContent!.trim()).toBe('NetworkError: Server down.')
  })

  it('logs in on another device: code, link and QR code; cancel, denied, then approved', async () => {
    const now = Date.UTC(2030, 0, 1, 12)
    const auth = createTestAuthClient({ now: () => now })
    await mountApp(auth)
    expect($('#device-start')!.textContent!.trim()).toBe('Log in on another device')
    expect($('#device-code')).toBeNull()

    await click('#device-start')
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
    await click('#device-cancel')
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
    expect($('#device-code')).toBeNull()
    expect($('#device-start')).not.toBeNull()
    expect($('#device-status')!.textContent).toBe('')

    await click('#device-start')
    auth.denyDeviceLogin('access_denied')
    await settle()
    expect($('#device-status')!.textContent).toBe('Not signed in (access_denied).')
    expect($('#status')!.textContent).toBe('unauthenticated')
    expect($('#device-code')).toBeNull()

    await click('#device-start')
    expect(auth.calls.deviceLogin).toHaveLength(3)
    auth.approveDeviceLogin({ name: 'Dora' })
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
    await mountApp(auth)
    await click('#device-start')
    expect($('#device-uri')!.tagName).toBe('SPAN')
    expect($('#device-uri')!.textContent).toBe('javascript:alert(1)')
    expect(document.querySelector('a[href^="javascript:"]')).toBeNull()
    expect($('#device-qr')).toBeNull()
    expect($('#device-code')!.textContent).toBe('TEST-CODE')
  })
})
