import { describe, expect, test } from 'vitest'
import { safeReturnTo } from './return-to.js'

const ORIGIN = 'http://localhost:5173'

describe('safeReturnTo', () => {
  test.each([
    ['/dashboard', '/dashboard'],
    ['/a/b?x=1#frag', '/a/b?x=1#frag'],
    ['/', '/'],
    ['/a/../b', '/b'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeReturnTo(input, ORIGIN)).toBe(expected)
  })

  test.each([
    [undefined],
    [''],
    ['//evil.com'],
    ['//evil.com/path'],
    ['/\\evil.com'],
    ['/\\/evil.com'],
    ['\\\\evil.com'],
    ['javascript:alert(1)'],
    ['JavaScript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['https://evil.com'],
    ['http://localhost:5173/inside-but-absolute'],
    ['evil.com'],
    [' /x'],
    ['/\t/evil.com'],
    ['/\n/evil.com'],
    ['/.//evil.com'],
    ['/..//evil.com'],
    ['/a/..//evil.com'],
  ])('refuses %s → /', (input) => {
    expect(safeReturnTo(input, ORIGIN)).toBe('/')
  })

  test('whatever the input, the result resolves to the same origin', () => {
    const inputs = [
      '/%2F%2Fevil.com',
      '/%5Cevil.com',
      '/.//evil.com',
      '/..//evil.com',
      '/%09/evil.com',
    ]
    for (const input of inputs) {
      const out = safeReturnTo(input, ORIGIN)
      expect(out.startsWith('/')).toBe(true)
      expect(out.startsWith('//')).toBe(false)
      expect(out.startsWith('/\\')).toBe(false)
      expect(new URL(out, ORIGIN).origin).toBe(ORIGIN)
    }
  })
})
