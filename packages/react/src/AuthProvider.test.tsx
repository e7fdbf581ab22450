import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { render, renderHook } from '@testing-library/react'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { describe, expect, it, vi } from 'vitest'
import { AuthProvider, useAuthClient } from './AuthProvider.js'

describe('AuthProvider / useAuthClient', () => {
  it('runs on the React of its Vitest project (packages: 19, react-18: 18)', () => {
    const major = process.env.REACT_MAJOR
    expect(major).toMatch(/^1[89]$/)
    expect(version.split('.')[0]).toBe(major)
    expect(domVersion.split('.')[0]).toBe(major)
  })

  it('hands the client to the components below it', () => {
    const client = createTestAuthClient()
    const { result } = renderHook(() => useAuthClient(), {
      wrapper: ({ children }) => <AuthProvider client={client}>{children}</AuthProvider>,
    })
    expect(result.current).toBe(client)
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
