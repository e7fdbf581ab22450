import { StrictMode } from 'react'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useAuth, type UseAuthResult } from './useAuth.js'
import { createTestAuth, ISSUER, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'

function Status() {
  const auth = useAuth()
  return (
    <div>
      <p data-testid="status">
        {auth.status === 'authenticated' ? `hello ${auth.user.name}` : auth.status}
      </p>
      <button onClick={() => auth.login({ returnTo: '/after' })}>log in</button>
      <button onClick={() => auth.logout({ localOnly: true })}>log out</button>
    </div>
  )
}

let t: TestAuth
afterEach(() => t?.client.destroy())

const renderStatus = () =>
  render(
    <StrictMode>
      <AuthProvider client={t.client}>
        <Status />
      </AuthProvider>
    </StrictMode>,
  )

describe('useAuth', () => {
  it('renders each state the core reports', async () => {
    t = createTestAuth()
    renderStatus()
    expect(screen.getByTestId('status').textContent).toBe('loading')
    await act(() => t.client.ready)
    expect(screen.getByTestId('status').textContent).toBe('unauthenticated')

    await act(() => t.signIn())
    expect(screen.getByTestId('status').textContent).toBe('hello Ada')

    await act(() => t.client.logout({ localOnly: true }))
    expect(screen.getByTestId('status').textContent).toBe('unauthenticated')
  })

  it('logs out through the bound logout', async () => {
    t = createTestAuth()
    await t.signIn()
    renderStatus()
    expect(screen.getByTestId('status').textContent).toBe('hello Ada')
    fireEvent.click(screen.getByText('log out'))
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('unauthenticated'))
    expect(t.client.getState().status).toBe('unauthenticated')
    expect(t.navigate).toHaveBeenCalledTimes(1) // the login; localOnly leaves the page alone
  })

  it('login() sends the browser to the authorization server through navigate', async () => {
    t = createTestAuth()
    renderStatus()
    fireEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(t.navigate).toHaveBeenCalledTimes(1))
    const url = new URL(t.navigate.mock.calls[0]![0])
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
  })

  it('stops listening when unmounted', async () => {
    t = createTestAuth({ server: false })
    const listeners = countListeners(t.client)
    const { unmount } = renderStatus()
    expect(t.client.subscribe).toHaveBeenCalled()
    expect(listeners()).toBeGreaterThan(0)
    unmount()
    expect(listeners()).toBe(0)
  })

  it('hands out the core snapshot unchanged while nothing changes', async () => {
    t = createTestAuth({ server: false })
    await t.client.ready
    const seen: UseAuthResult[] = []
    function Probe() {
      seen.push(useAuth())
      return null
    }
    const { rerender } = render(
      <AuthProvider client={t.client}>
        <Probe />
      </AuthProvider>,
    )
    rerender(
      <AuthProvider client={t.client}>
        <Probe />
      </AuthProvider>,
    )
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
    expect(seen[0]).toMatchObject(t.client.getState())
  })

  it('narrows user on status (types)', () => {
    const check = (auth: UseAuthResult) => {
      if (auth.status === 'authenticated') {
        expectTypeOf(auth.user.sub).toEqualTypeOf<string>()
        expectTypeOf(auth.expiresAt).toEqualTypeOf<number>()
      } else {
        expectTypeOf(auth.user).toEqualTypeOf<null>()
      }
    }
    expect(check).toBeTypeOf('function')
  })
})
