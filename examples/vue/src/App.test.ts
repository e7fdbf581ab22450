import { createApp, nextTick, type App as VueApp } from 'vue'
import { NetworkError } from '@oauth-spa/core'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { createAuthPlugin } from '@oauth-spa/vue'
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
})
