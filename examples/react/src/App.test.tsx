import { act, StrictMode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { NetworkError } from '@oauth-spa/core'
import { AuthProvider } from '@oauth-spa/react'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
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
})
