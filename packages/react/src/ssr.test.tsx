// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthProvider, RequireAuth, useAccessToken, useAuth, useAuthCallback } from './index.js'

// Browser globals that server rendering must not touch. Node has none of them but
// BroadcastChannel (and, in newer versions, navigator and localStorage): reading a missing one
// throws a ReferenceError, reading one Node has throws the error below. `typeof x` stays allowed.
const BROWSER_GLOBALS = [
  'navigator',
  'window',
  'document',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'BroadcastChannel',
]
const saved = new Map<string, PropertyDescriptor | undefined>()
beforeAll(() => {
  for (const name of BROWSER_GLOBALS) {
    if (!(name in globalThis)) continue
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name))
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        throw new Error(`${name} was touched during server rendering`)
      },
    })
  }
})
afterAll(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor)
    else delete (globalThis as Record<string, unknown>)[name]
  }
})

function Page() {
  const auth = useAuth()
  const { loading } = useAccessToken()
  const { isCallback } = useAuthCallback()
  return (
    <main>
      <p id="status">{auth.status}</p>
      <p id="token">{loading ? 'token loading' : 'token ready'}</p>
      <p id="callback">{String(isCallback)}</p>
      <RequireAuth fallback={<p>signing in</p>}>
        <p>secret</p>
      </RequireAuth>
    </main>
  )
}

describe('server rendering', () => {
  it('renders the loading state without touching a browser global', () => {
    expect(typeof window).toBe('undefined')
    expect(() => BroadcastChannel).toThrow(/touched/)
    // TODO(ssr): once createAuthClient is SSR-safe (issue 10 item 4, the lead's part), render with
    // the real client here ("renders the loading state without touching a browser global"), e.g.
    // createAuthClient({ issuer, clientId, redirectUri: 'https://app.example/callback' }), and
    // assert the same HTML: status loading, no timers, channels or storage opened.
    const client = createTestAuthClient({ loading: true })
    const html = renderToString(
      <AuthProvider client={client}>
        <Page />
      </AuthProvider>,
    )
    expect(html).toContain('<p id="status">loading</p>')
    expect(html).toContain('token loading')
    expect(html).toContain('<p id="callback">undefined</p>')
    expect(html).toContain('signing in')
    expect(html).not.toContain('secret')
    expect(client.calls.login).toEqual([])
    expect(client.calls.getAccessToken).toEqual([])
  })

  it('marks the package entry as client code for React Server Components', () => {
    const build = ts.readConfigFile(
      new URL('../tsconfig.build.json', import.meta.url).pathname,
      ts.sys.readFile,
    )
    const { options } = ts.parseJsonConfigFileContent(
      build.config,
      ts.sys,
      new URL('..', import.meta.url).pathname,
    )
    const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8')
    const { outputText } = ts.transpileModule(source, { compilerOptions: options })
    expect(outputText.startsWith("'use client'")).toBe(true)
  })
})
