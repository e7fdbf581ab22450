import { describe, expect, test } from 'vitest'
import { dpop, DPoPError } from './index.js'
import {
  b64u,
  b64uJson,
  decodeJwt,
  FakeServer,
  json,
  oauthError,
  sha256b64u,
} from './test/fake-server.js'
import type { RecordedRequest } from './test/fake-server.js'
import { clock, errorOf, idb, loginFlow, makeClient, uniqueClientId } from './test/helpers.js'

const proofOf = (r: RecordedRequest) => {
  const jwt = r.headers.get('dpop')
  expect(jwt).toBeTruthy()
  return decodeJwt(jwt!)
}

const thumbprint = async (jwk: Record<string, unknown>) =>
  b64u(
    await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })),
    ),
  )

async function dpopLogin(server = new FakeServer()) {
  const clientId = uniqueClientId('dpop')
  const c = clock()
  const auth = makeClient(server, {
    clientId,
    dpop,
    now: c.now,
    allowedOrigins: ['https://api.example'],
  })
  const flow = await loginFlow(auth, server)
  const api = () => server.requests.filter((r) => r.url.startsWith('https://api.example'))
  return { server, auth, clientId, clock: c, api, ...flow }
}

describe('DPoP', () => {
  test('the key pair is non-extractable and kept in IndexedDB', async () => {
    const { server, clientId } = await dpopLogin()
    const kp = (await idb.get(server.issuer, clientId, 'dpop')) as CryptoKeyPair
    expect(kp.privateKey).toBeInstanceOf(CryptoKey)
    expect(kp.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('pkcs8', kp.privateKey)).rejects.toBeTruthy()
    await expect(crypto.subtle.exportKey('jwk', kp.privateKey)).rejects.toBeTruthy()
  })

  test('token requests carry a DPoP proof with typ, public jwk, htm, htu, iat and a unique jti', async () => {
    const { server, auth, clock: c } = await dpopLogin()
    c.advance(3600_000)
    await auth.getAccessToken()
    const proofs = server.tokenRequests.map(proofOf)
    expect(proofs).toHaveLength(2)
    for (const { header, payload } of proofs) {
      expect(header.typ).toBe('dpop+jwt')
      expect(header.alg).toBe('ES256')
      expect(header.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' })
      expect(header.jwk).not.toHaveProperty('d')
      expect(payload.htm).toBe('POST')
      expect(payload.htu).toBe('https://as.example/token')
      expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(60)
      expect(typeof payload.jti).toBe('string')
      expect(payload).not.toHaveProperty('ath')
    }
    expect(proofs[0]!.payload.jti).not.toBe(proofs[1]!.payload.jti)
    expect(server.tokenRequests[1]!.form.get('grant_type')).toBe('refresh_token')
  })

  test('the authorization URL carries dpop_jkt, the thumbprint of the proof key', async () => {
    const { server, authorizationUrl } = await dpopLogin()
    const { header } = proofOf(server.tokenRequests[0]!)
    expect(authorizationUrl.searchParams.get('dpop_jkt')).toBe(
      await thumbprint(header.jwk as Record<string, unknown>),
    )
  })

  test('auth.fetch sends Authorization: DPoP with a proof bound to the token (ath), htu without query or fragment', async () => {
    const { auth, api } = await dpopLogin()
    const token = await auth.getAccessToken()
    await auth.fetch('https://api.example/items?page=2#top', { method: 'PUT', body: 'x' })
    const [r] = api()
    expect(r!.headers.get('authorization')).toBe(`DPoP ${token}`)
    const { payload } = proofOf(r!)
    expect(payload.htm).toBe('PUT')
    expect(payload.htu).toBe('https://api.example/items')
    expect(payload.ath).toBe(await sha256b64u(token))
  })

  test('a new client (reload) reuses the stored key', async () => {
    const { server, clientId, authorizationUrl } = await dpopLogin()
    const next = makeClient(server, { clientId, dpop, allowedOrigins: ['https://api.example'] })
    await next.ready
    expect(next.getState().status).toBe('authenticated')
    await next.fetch('https://api.example/x')
    const { header } = proofOf(server.requests.at(-1)!)
    expect(await thumbprint(header.jwk as Record<string, unknown>)).toBe(
      authorizationUrl.searchParams.get('dpop_jkt'),
    )
  })

  test('use_dpop_nonce from the token endpoint → exactly one retry carrying the nonce', async () => {
    const server = new FakeServer()
    server.tokenReplies.push(() =>
      oauthError('use_dpop_nonce', 400, {}, { 'DPoP-Nonce': 'nonce-1' }),
    )
    const { auth } = await dpopLogin(server)
    expect(auth.getState().status).toBe('authenticated')
    expect(server.tokenRequests).toHaveLength(2)
    expect(proofOf(server.tokenRequests[0]!).payload.nonce).toBeUndefined()
    expect(proofOf(server.tokenRequests[1]!).payload.nonce).toBe('nonce-1')
  })

  test('a second use_dpop_nonce is an error, not a loop', async () => {
    const server = new FakeServer()
    const nonce = (n: string) => () => oauthError('use_dpop_nonce', 400, {}, { 'DPoP-Nonce': n })
    server.tokenReplies.push(nonce('n1'), nonce('n2'), nonce('n3'))
    const err = await errorOf(dpopLogin(server))
    expect(err).toMatchObject({ code: 'dpop_error' })
    expect(server.tokenRequests).toHaveLength(2)
  })

  test('use_dpop_nonce on refresh → one retry with the nonce', async () => {
    const { server, auth, clock: c } = await dpopLogin()
    server.tokenReplies.push(() => oauthError('use_dpop_nonce', 400, {}, { 'DPoP-Nonce': 'rn' }))
    c.advance(3600_000)
    await auth.getAccessToken()
    expect(server.tokenRequests).toHaveLength(3)
    expect(proofOf(server.tokenRequests[2]!).payload.nonce).toBe('rn')
    expect(auth.getState().status).toBe('authenticated')
  })

  test('API 401 DPoP error="use_dpop_nonce" with DPoP-Nonce → one retry with the nonce', async () => {
    const { server, auth, api } = await dpopLogin()
    server.apiReplies.push(() =>
      json({}, 401, {
        'www-authenticate': 'DPoP error="use_dpop_nonce"',
        'dpop-nonce': 'api-nonce',
      }),
    )
    const res = await auth.fetch('https://api.example/x', { method: 'POST', body: 'b' })
    expect(res.status).toBe(200)
    expect(api()).toHaveLength(2)
    expect(proofOf(api()[1]!).payload.nonce).toBe('api-nonce')
    expect(api()[1]!.body).toBe('b')
    expect(server.tokenRequests).toHaveLength(1)
  })

  test('API nonce challenge repeated → the second 401 is returned, no loop', async () => {
    const { server, auth, api } = await dpopLogin()
    const reply = () =>
      json({}, 401, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'again' })
    server.apiReplies.push(reply, reply, reply)
    const res = await auth.fetch('https://api.example/x')
    expect(res.status).toBe(401)
    expect(api()).toHaveLength(2)
  })

  test('API nonce challenge without a readable DPoP-Nonce → DPoPError naming Access-Control-Expose-Headers', async () => {
    const { server, auth, api } = await dpopLogin()
    server.apiReplies.push(() =>
      json({}, 401, { 'www-authenticate': 'DPoP error="use_dpop_nonce"' }),
    )
    const err = await errorOf(auth.fetch('https://api.example/x'))
    expect(err).toBeInstanceOf(DPoPError)
    expect((err as Error).message).toContain('Access-Control-Expose-Headers')
    expect(api()).toHaveLength(1)
  })

  test('a Bearer answer when DPoP is on → DPoPError, nothing stored', async () => {
    const server = new FakeServer({ tokenType: 'Bearer' })
    const clientId = uniqueClientId('dpop')
    const auth = makeClient(server, { clientId, dpop })
    await auth.login()
    const err = await errorOf(
      auth.handleRedirectCallback(server.authorize(server.lastNavigation().href)),
    )
    expect(err).toBeInstanceOf(DPoPError)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })

  test('a Bearer answer to a DPoP refresh → session not updated with the unbound token', async () => {
    const { server, auth, clock: c, clientId } = await dpopLogin()
    const before = (await idb.get(server.issuer, clientId, 'session')) as {
      tokens: Record<string, { accessToken: string }>
    }
    server.tokenType = 'Bearer'
    c.advance(3600_000)
    await expect(auth.getAccessToken()).rejects.toBeTruthy()
    const after = (await idb.get(server.issuer, clientId, 'session')) as typeof before | undefined
    if (after) expect(after.tokens['']!.accessToken).toBe(before.tokens['']!.accessToken)
    expect(server.tokenRequests).toHaveLength(2)
  })

  test('a stored DPoP session whose key vanished → unauthenticated on restore, session discarded', async () => {
    const { server, clientId } = await dpopLogin()
    await idb.del(server.issuer, clientId, 'dpop')
    const next = makeClient(server, { clientId, dpop })
    await next.ready
    expect(next.getState().status).toBe('unauthenticated')
    expect(next.getState().error).toBeInstanceOf(DPoPError)
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
    expect(server.tokenRequests).toHaveLength(1)
  })

  test('a forged non-key record in place of the key is not used', async () => {
    const { server, clientId } = await dpopLogin()
    await idb.set(server.issuer, clientId, 'dpop', {
      privateKey: b64uJson({ d: 'x' }),
      publicKey: 'y',
    })
    const next = makeClient(server, { clientId, dpop })
    await next.ready
    expect(next.getState().status).toBe('unauthenticated')
  })
})

describe('DPoP algorithms: the first of the server’s list this SDK signs with, ES256 when offered', () => {
  /** WebCrypto's name for the signature of each JWS algorithm, to check the proof with its jwk. */
  const verifyAlgorithm = (alg: string) =>
    alg.startsWith('ES')
      ? { name: 'ECDSA', hash: `SHA-${alg === 'ES512' ? 512 : alg.slice(2)}` }
      : alg.startsWith('PS')
        ? { name: 'RSA-PSS', saltLength: Number(alg.slice(2)) / 8 }
        : alg.startsWith('RS')
          ? { name: 'RSASSA-PKCS1-v1_5' }
          : { name: 'Ed25519' }
  const importAlgorithm = (alg: string, jwk: Record<string, unknown>) =>
    alg.startsWith('ES')
      ? { name: 'ECDSA', namedCurve: jwk.crv }
      : alg.startsWith('PS')
        ? { name: 'RSA-PSS', hash: `SHA-${alg.slice(2)}` }
        : alg.startsWith('RS')
          ? { name: 'RSASSA-PKCS1-v1_5', hash: `SHA-${alg.slice(2)}` }
          : { name: 'Ed25519' }

  test.each([
    [['ES384'], 'ES384'],
    [['ES512'], 'ES512'],
    [['EdDSA'], 'EdDSA'],
    [['Ed25519'], 'Ed25519'],
    [['RS512', 'ES512', 'ES384'], 'ES512'],
    [['PS256', 'EdDSA', 'ES384', 'ES256'], 'ES256'],
  ])('the server lists %j → proofs signed with %s, checked with their jwk', async (algs, alg) => {
    const server = new FakeServer({ metadata: { dpop_signing_alg_values_supported: algs } })
    const { clientId, clock: c, auth } = await dpopLogin(server)
    c.advance(3600_000)
    await auth.getAccessToken() // a refresh: a second proof with the stored key
    expect(server.tokenRequests).toHaveLength(2)
    for (const r of server.tokenRequests) {
      const jwt = r.headers.get('dpop')!
      const { header } = decodeJwt(jwt)
      expect(header.alg).toBe(alg)
      const jwk = header.jwk as JsonWebKey & Record<string, unknown>
      const key = await crypto.subtle.importKey('jwk', jwk, importAlgorithm(alg, jwk), true, [
        'verify',
      ])
      const [h, p, s] = jwt.split('.') as [string, string, string]
      const sig = Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (x) =>
        x.charCodeAt(0),
      )
      const signed = new TextEncoder().encode(`${h}.${p}`)
      expect(await crypto.subtle.verify(verifyAlgorithm(alg), key, sig, signed)).toBe(true)
    }
    const kp = (await idb.get(server.issuer, clientId, 'dpop')) as CryptoKeyPair
    expect(kp.privateKey.extractable).toBe(false)
  })

  test('the same key and algorithm after a reload (a new client)', async () => {
    const server = new FakeServer({ metadata: { dpop_signing_alg_values_supported: ['EdDSA'] } })
    const { clientId } = await dpopLogin(server)
    const next = makeClient(server, { clientId, dpop })
    await next.ready
    await next.getAccessToken({ forceRefresh: true })
    const [first, second] = server.tokenRequests.map(proofOf)
    expect(second!.header.alg).toBe('EdDSA')
    expect(second!.header.jwk).toEqual(first!.header.jwk)
  })

  test('a server listing none of them → DPoPError naming what the SDK signs with', async () => {
    const server = new FakeServer({ metadata: { dpop_signing_alg_values_supported: ['HS256'] } })
    const auth = makeClient(server, { dpop })
    const err = await errorOf(auth.login())
    expect(err).toBeInstanceOf(DPoPError)
    expect((err as Error).message).toMatch(/ES256.*ES384.*EdDSA/)
  })
})
