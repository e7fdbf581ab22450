import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { freePort } from './http-util.mjs'
import { startServers } from './start.mjs'
import { loginProgrammatically } from './test-login.mjs'

describe('startServers', () => {
  it('reads ports, origins, TTLs, extra resources and test hooks from the environment', async () => {
    const [authPort, apiPort, echoPort] = [await freePort(), await freePort(), await freePort()]
    const servers = await startServers({
      env: {
        AUTH_PORT: String(authPort),
        API_PORT: String(apiPort),
        ECHO_PORT: String(echoPort),
        APP_ORIGINS: 'http://localhost:4000, http://127.0.0.1:4000',
        ACCESS_TOKEN_TTL: '77',
        EXTRA_API_RESOURCES: 'http://localhost:9876',
        TEST_HOOKS: 'true',
      },
    })
    try {
      expect(servers.issuer).toBe(`http://localhost:${authPort}`)
      expect(servers.apiUrl).toBe(`http://localhost:${apiPort}`)
      expect(servers.echoUrl).toBe(`http://localhost:${echoPort}`)

      const { tokens } = await loginProgrammatically({
        issuer: servers.issuer,
        redirectUri: 'http://127.0.0.1:4000/silent-callback.html',
        resource: 'http://localhost:9876',
      })
      expect(tokens.expires_in).toBe(77)

      const stats = await fetch(`${servers.issuer}/__test/stats`, {
        headers: { origin: 'http://localhost:4000' },
      })
      expect(stats.headers.get('access-control-allow-origin')).toBe('http://localhost:4000')
      expect((await stats.json()).token.authorization_code).toBe(1)
      const api = await fetch(`${servers.apiUrl}/__test/requests`)
      expect(api.status).toBe(200)
    } finally {
      await servers.close()
    }
    // closed: the ports are free again
    await expect(
      fetch(`http://localhost:${authPort}/.well-known/openid-configuration`),
    ).rejects.toThrow()
  })

  it('runs as a script, prints the URLs and exits cleanly on SIGTERM', async () => {
    const [authPort, apiPort, echoPort] = [await freePort(), await freePort(), await freePort()]
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./start.mjs', import.meta.url))],
      {
        env: {
          ...process.env,
          AUTH_PORT: String(authPort),
          API_PORT: String(apiPort),
          ECHO_PORT: String(echoPort),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    const exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    )
    try {
      await expect.poll(() => stdout, { timeout: 15_000 }).toContain(`http://localhost:${echoPort}`)
      expect(stdout).toContain(`http://localhost:${authPort}`)
      expect(stdout).toContain(`http://localhost:${apiPort}`)
      const res = await fetch(`http://localhost:${apiPort}/api/user-profile`)
      expect(res.status).toBe(401)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toEqual({ code: 0, signal: null })
  })
})
