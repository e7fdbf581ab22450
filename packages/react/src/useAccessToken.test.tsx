import type { ReactNode } from 'react'
import { act, renderHook, waitFor } from '@testing-library/react'
import { LoginRequiredError } from '@oauth-spa/core'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useAccessToken, type UseAccessTokenOptions } from './useAccessToken.js'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'

let t: TestAuth
afterEach(() => t?.client.destroy())

const wrapper = ({ children }: { children: ReactNode }) => (
  <AuthProvider client={t.client}>{children}</AuthProvider>
)

describe('useAccessToken', () => {
  it('gives the core’s LoginRequiredError when logged out, without any request', async () => {
    t = createTestAuth({ server: false })
    const { result } = renderHook(() => useAccessToken(), { wrapper })
    expect(result.current).toEqual({ token: undefined, error: null, loading: true })
    await waitFor(() => expect(result.current.loading).toBe(false))
    expect(result.current.token).toBeUndefined()
    expect(result.current.error).toBeInstanceOf(LoginRequiredError)
    expect(t.fetch).not.toHaveBeenCalled()
  })

  it('gives the token when logged in, and asks again when the session changes', async () => {
    t = createTestAuth()
    await t.signIn()
    const { result } = renderHook(() => useAccessToken(), { wrapper })
    await waitFor(() =>
      expect(result.current).toEqual({ token: 'at-1', error: null, loading: false }),
    )

    // A refresh elsewhere (another component, the timer) moves `expiresAt`.
    await act(() => t.client.getAccessToken({ forceRefresh: true }))
    await waitFor(() => expect(result.current.token).toBe('at-2'))

    await act(() => t.client.logout({ localOnly: true }))
    await waitFor(() => expect(result.current.error).toBeInstanceOf(LoginRequiredError))
    expect(result.current.token).toBeUndefined()
  })

  it('ignores the answer of a request made for earlier options', async () => {
    t = createTestAuth()
    await t.signIn()
    const answers = new Map<string, (body: object) => void>()
    t.token.mockImplementation(
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
    await act(() => t.client.getAccessToken({ resource: 'https://a.example' }))
    expect(result.current.token).toBe('at-b')
  })

  it('stops listening when unmounted', async () => {
    t = createTestAuth({ server: false })
    const listeners = countListeners(t.client)
    const { unmount } = renderHook(() => useAccessToken(), { wrapper })
    expect(listeners()).toBe(1)
    unmount()
    expect(listeners()).toBe(0)
  })
})
