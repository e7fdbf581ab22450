// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { describe, expect, it, vi } from 'vitest'
import { trapBrowserGlobals } from '../../../test-utils/server-globals.js'
import { createAuthClient } from '@oauth-spa/core'
import { AuthProvider, RequireAuth, useAccessToken, useAuth, useAuthCallback } from './index.js'

trapBrowserGlobals()

function Page() {
  const auth = useAuth()
  const { status } = useAccessToken()
  const { isCallback } = useAuthCallback()
  return (
    <main>
      <p id="status">{auth.status}</p>
      <p id="token">token {status}</p>
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
    // The real client, created as apps do at module level: on a server it starts nothing.
    const setTimeout = vi.fn()
    const fetch = vi.fn()
    const client = createAuthClient({
      issuer: 'https://as.example',
      clientId: 'ssr',
      redirectUri: 'https://app.example/callback',
      setTimeout,
      fetch,
    })
    const html = renderToString(
      <AuthProvider client={client}>
        <Page />
      </AuthProvider>,
    )
    expect(html).toContain('<p id="status">loading</p>')
    expect(html).toContain('idle</p>')
    expect(html).toContain('<p id="callback">undefined</p>')
    expect(html).toContain('signing in')
    expect(html).not.toContain('secret')
    expect(setTimeout).not.toHaveBeenCalled()
    expect(fetch).not.toHaveBeenCalled()
    client.destroy()
  })

  it('renders the test double the same way', () => {
    const client = createTestAuthClient({ loading: true })
    const html = renderToString(
      <AuthProvider client={client}>
        <Page />
      </AuthProvider>,
    )
    expect(html).toContain('<p id="status">loading</p>')
    expect(html).toContain('idle</p>')
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
