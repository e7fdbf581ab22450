import type { ReactNode } from 'react'
import { act, renderHook, waitFor } from '@testing-library/react'
import { LoginRequiredError } from '@oauth-spa/core'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useAccessToken, type UseAccessTokenOptions } from './useAccessToken.js'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'

let t: TestAuth | undefined
let auth: TestAuthClient
afterEach(() => {
  t?.client.destroy()
  t = undefined
})

const wrapper = ({ children }: { children: ReactNode }) => (
  <AuthProvider client={t?.client ?? auth}>{children}</AuthProvider>
)

describe('useAccessToken', () => {
  it('gives the client’s LoginRequiredError when logged out', async () => {
    auth = createTestAuthClient({ loading: true })
    const { result } = renderHook(() => useAccessToken(), { wrapper })
    expect(result.current).toEqual({ token: undefined, error: null, status: 'idle' })
    act(() => auth.signOut())
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.token).toBeUndefined()
    expect(result.current.error).toBeInstanceOf(LoginRequiredError)
  })

  it('gives the token when logged in, and asks again when the session changes', async () => {
    auth = createTestAuthClient({ user: { name: 'Ada' }, token: 'at-1' })
    const { result } = renderHook(() => useAccessToken(), { wrapper })
    await waitFor(() =>
      expect(result.current).toEqual({ token: 'at-1', error: null, status: 'ready' }),
    )

    // A refresh elsewhere (another component, the timer) moves `expiresAt`.
    act(() => auth.setToken('at-2', { expiresIn: 100 }))
    await waitFor(() => expect(result.current.token).toBe('at-2'))

    act(() => auth.signOut())
    await waitFor(() => expect(result.current.error).toBeInstanceOf(LoginRequiredError))
    expect(result.current.token).toBeUndefined()
  })

  it('reports a failed refresh', async () => {
    auth = createTestAuthClient({ user: { name: 'Ada' }, token: 'at-1', expiresIn: 0 })
    auth.failNextRefresh()
    const { result } = renderHook(() => useAccessToken(), { wrapper })
    await waitFor(() => expect(result.current.error).toBeInstanceOf(LoginRequiredError))
    expect(result.current.token).toBeUndefined()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('ignores the answer of a request made for earlier options', async () => {
    const real = (t = createTestAuth())
    await real.signIn()
    const answers = new Map<string, (body: object) => void>()
    real.token.mockImplementation(
      (params) => new Promise((resolve) => answers.set(params.get('resource')!, resolve)),
    )
    const body = (access_token: string) => ({ access_token, token_type: 'Bearer', expires_in: 60 })
    const { result, rerender } = renderHook((opts: UseAccessTokenOptions) => useAccessToken(opts), {
      wrapper,
      initialProps: { resource: 'https://a.example' },
    })
    await waitFor(() => expect(answers.has('https://a.example')).toBe(true))
    rerender({ resource: 'https://b.example' })
    await waitFor(() => expect(answers.has('https://b.example')).toBe(true))

    answers.get('https://b.example')!(body('at-b'))
    await waitFor(() => expect(result.current.token).toBe('at-b'))
    answers.get('https://a.example')!(body('at-a'))
    await act(() => real.client.getAccessToken({ resource: 'https://a.example' }))
    expect(result.current.token).toBe('at-b')
  })

  it('stops listening when unmounted', () => {
    auth = createTestAuthClient()
    const listeners = countListeners(auth)
    const { unmount } = renderHook(() => useAccessToken(), { wrapper })
    expect(listeners()).toBe(1)
    unmount()
    expect(listeners()).toBe(0)
  })
})
