import { describe, expect, test } from 'vitest'
import { OAuthError, verifyIdTokenSignature } from './index.js'
import { b64u, b64uJson, FakeServer, json } from './test/fake-server.js'
import { clock, errorOf, loginFlow, makeClient } from './test/helpers.js'

// Opt-in ID token signature verification against the server's JWKS (issue 12 item 4).

const enc = new TextEncoder()

async function signer(kid: string) {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])
  const jwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid, use: 'sig' }
  delete (jwk as { key_ops?: unknown }).key_ops
  delete (jwk as { ext?: unknown }).ext
  const sign = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => {
    const input = `${b64uJson({ alg: 'ES256', typ: 'JWT', kid, ...header })}.${b64uJson(claims)}`
    const sig = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      pair.privateKey,
      enc.encode(input),
    )
    return `${input}.${b64u(sig)}`
  }
  return { jwk, sign }
}

/** A server whose ID tokens are signed by `current()` and whose JWKS lists `published()`. */
function signedServer(
  current: () => Awaited<ReturnType<typeof signer>>,
  published: () => object[],
  header: () => Record<string, unknown> = () => ({}),
) {
  const server = new FakeServer({ metadata: { id_token_signing_alg_values_supported: ['ES256'] } })
  let jwksRequests = 0
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input)
    if (url === server.metadata.jwks_uri) {
      jwksRequests++
      return json({ keys: published() })
    }
    if (!url.endsWith('/token')) return server.fetch(input, init)
    const res = await server.fetch(input, init)
    if (res.status !== 200) return res
    const body = (await res.json()) as Record<string, unknown>
    if (typeof body.id_token === 'string') {
      const claims = JSON.parse(
        atob(body.id_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
      ) as Record<string, unknown>
      body.id_token = await current().sign(claims, header())
    }
    return json(body)
  }
  return { server, fetch, jwks: () => jwksRequests }
}

describe('verifyIdTokenSignature', () => {
  test('a token signed by a published key is accepted; off by default, no JWKS is fetched', async () => {
    const key = await signer('k1')
    const s = signedServer(
      () => key,
      () => [key.jwk],
    )
    const on = makeClient(s.server, { fetch: s.fetch, verifyIdTokenSignature })
    await loginFlow(on, s.server)
    expect(on.getState().status).toBe('authenticated')
    expect(s.jwks()).toBe(1)
    const off = makeClient(s.server, { fetch: s.fetch })
    await loginFlow(off, s.server)
    expect(s.jwks()).toBe(1)
  })

  test('a token signed by another key (not in the JWKS) is refused, nothing stored', async () => {
    const published = await signer('k1')
    const attacker = await signer('k1') // same kid, other key
    const s = signedServer(
      () => attacker,
      () => [published.jwk],
    )
    const auth = makeClient(s.server, { fetch: s.fetch, verifyIdTokenSignature })
    const err = await errorOf(loginFlow(auth, s.server))
    expect(err).toBeInstanceOf(OAuthError)
    expect((err as Error).message).toContain('signature')
    expect(auth.getState().status).toBe('unauthenticated')
    // Without the option, the same forged token gets through: the option is what checks it.
    const off = makeClient(s.server, { fetch: s.fetch })
    await loginFlow(off, s.server)
    expect(off.getState().status).toBe('authenticated')
  })

  test('a wrong alg (RS256 claimed, the key is EC) is refused', async () => {
    const key = await signer('k1')
    const s = signedServer(
      () => key,
      () => [key.jwk],
      () => ({ alg: 'RS256' }),
    )
    s.server.metadata.id_token_signing_alg_values_supported = ['RS256', 'ES256']
    const auth = makeClient(s.server, { fetch: s.fetch, verifyIdTokenSignature })
    expect(await errorOf(loginFlow(auth, s.server))).toBeInstanceOf(OAuthError)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('key rotation: a refreshed ID token signed by a new key fetches the JWKS once more', async () => {
    const old = await signer('k1')
    const next = await signer('k2')
    let rotated = false
    const s = signedServer(
      () => (rotated ? next : old),
      () => (rotated ? [old.jwk, next.jwk] : [old.jwk]),
    )
    const c = clock()
    const auth = makeClient(s.server, { fetch: s.fetch, verifyIdTokenSignature, now: c.now })
    await loginFlow(auth, s.server)
    expect(s.jwks()).toBe(1)
    rotated = true
    c.advance(3600_000)
    await auth.getAccessToken()
    expect(auth.getState().status).toBe('authenticated')
    expect(s.jwks()).toBe(2)
  })

  test('a refreshed ID token with a bad signature ends the session', async () => {
    const published = await signer('k1')
    const attacker = await signer('k1')
    let forged = false
    const s = signedServer(
      () => (forged ? attacker : published),
      () => [published.jwk],
    )
    const c = clock()
    const auth = makeClient(s.server, { fetch: s.fetch, verifyIdTokenSignature, now: c.now })
    await loginFlow(auth, s.server)
    forged = true
    c.advance(3600_000)
    expect(await errorOf(auth.getAccessToken())).toMatchObject({ code: 'login_required' })
    expect(auth.getState().status).toBe('unauthenticated')
  })
})
