import { render, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, useAuthClient } from './AuthProvider.js'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'

let t: TestAuth
afterEach(() => t?.client.destroy())

describe('AuthProvider / useAuthClient', () => {
  it('hands the client to the components below it', () => {
    t = createTestAuth({ server: false })
    const { result } = renderHook(() => useAuthClient(), {
      wrapper: ({ children }) => <AuthProvider client={t.client}>{children}</AuthProvider>,
    })
    expect(result.current).toBe(t.client)
  })

  it('throws an error naming AuthProvider when there is none', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
    function Orphan() {
      useAuthClient()
      return null
    }
    expect(() => render(<Orphan />)).toThrow(/<AuthProvider/)
    consoleError.mockRestore()
  })
})
