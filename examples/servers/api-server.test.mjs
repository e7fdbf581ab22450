import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startApiServer } from './api-server.mjs'
import { startAuthServer } from './auth-server.mjs'
import { createDpopProof, generateDpopKey } from './dpop-proof.mjs'
import { freePort } from './http-util.mjs'
import { startServers } from './start.mjs'
import { loginProgrammatically } from './test-login.mjs'

const APP = 'http://localhost:5173'
const REDIRECT = `${APP}/callback`
const OTHER_API = 'http://localhost:9099'

/** @type {Awaited<ReturnType<typeof startServers>>} */
let servers
let profileUrl = ''
let notesUrl = ''

beforeAll(async () => {
  servers = await startServers({
    authPort: 0,
    apiPort: 0,
    echoPort: 0,
    appOrigins: [APP],
    extraApiResources: [OTHER_API],
    testHooks: true,
    env: {},
  })
  profileUrl = `${servers.apiUrl}/api/user-profile`
  notesUrl = `${servers.apiUrl}/api/notes`
})
afterAll(async () => {
  await servers?.close()
})

/** @param {{ scope?: string, resource?: string, dpopKey?: import('./dpop-proof.mjs').DpopKey }} [o] */
async function accessToken(o = {}) {
  const { tokens } = await loginProgrammatically({
    issuer: servers.issuer,
    redirectUri: REDIRECT,
    resource: o.resource ?? servers.apiUrl,
    scope: o.scope,
    dpopKey: o.dpopKey,
  })
  return tokens.access_token
}

/** @param {Response} res */
const challenge = (res) => res.headers.get('www-authenticate') ?? ''

describe('Bearer tokens', () => {
  it('accepts a valid token (any case of the scheme) and answers the profile', async () => {
    const token = await accessToken()
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await fetch(profileUrl, { headers: { authorization: `${scheme} ${token}` } })
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body).toMatchObject({ sub: 'alice', tokenType: 'Bearer', clientId: 'demo-spa' })
      expect(body.scope.split(' ').sort()).toEqual(['read', 'write'])
      expect(body.message).toEqual(expect.any(String))
    }
  })

  it('creates a note with the write scope', async () => {
    const token = await accessToken()
    const res = await fetch(notesUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello' }),
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ id: expect.any(String), text: 'hello', sub: 'alice' })
  })

  it('answers 401 with Bearer and DPoP challenges when no token is sent', async () => {
    const res = await fetch(profileUrl)
    expect(res.status).toBe(401)
    const header = challenge(res)
    expect(header).toMatch(/Bearer realm="api"/)
    expect(header).toMatch(/DPoP realm="api", algs="ES256 RS256 PS256"/)
    expect(header).not.toMatch(/error=/)
  })

  it('rejects a token for another audience', async () => {
    const token = await accessToken({ resource: OTHER_API })
    expect(decodeJwt(token).aud).toBe(OTHER_API)
    const res = await fetch(profileUrl, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(/^Bearer realm="api", error="invalid_token"/)
  })

  it('rejects a tampered token, an opaque token and a token signed by another key', async () => {
    const token = await accessToken()
    const [h, p, s] = token.split('.')
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    claims.sub = 'mallory'
    const tampered = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.')

    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const forged = await new SignJWT({ ...decodeJwt(token) })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'at+jwt',
        kid: 'forged',
        jwk: await exportJWK(publicKey),
      })
      .sign(privateKey)

    for (const bad of [tampered, 'opaque-token-value', forged]) {
      const res = await fetch(profileUrl, { headers: { authorization: `Bearer ${bad}` } })
      expect(res.status).toBe(401)
      expect(challenge(res)).toMatch(/error="invalid_token"/)
    }
  })

  it('answers 403 insufficient_scope naming the missing scope', async () => {
    const token = await accessToken({ scope: 'openid read' })
    expect(decodeJwt(token).scope).toBe('read')
    const ok = await fetch(profileUrl, { headers: { authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    const res = await fetch(notesUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x' }),
    })
    expect(res.status).toBe(403)
    expect(challenge(res)).toMatch(/Bearer realm="api", error="insufficient_scope"/)
    expect(challenge(res)).toMatch(/scope="write"/)
  })

  it('rejects a DPoP-bound token presented as Bearer', async () => {
    const key = await generateDpopKey()
    const token = await accessToken({ dpopKey: key })
    const res = await fetch(profileUrl, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(/^Bearer .*error="invalid_token"/)
  })

  it('answers 404 JSON for unknown routes', async () => {
    const res = await fetch(`${servers.apiUrl}/api/nothing`)
    expect(res.status).toBe(404)
    expect((await res.json()).error).toBe('not_found')
  })
})

describe('expired tokens', () => {
  it('rejects a token after its exp', async () => {
    const apiPort = await freePort()
    const apiUrl = `http://localhost:${apiPort}`
    const as = await startAuthServer({ port: 0, apiResources: [apiUrl], accessTokenTtl: 1 })
    const api = await startApiServer({ port: apiPort, issuer: as.issuer, clockToleranceSeconds: 0 })
    try {
      const { tokens } = await loginProgrammatically({
        issuer: as.issuer,
        redirectUri: REDIRECT,
        resource: apiUrl,
      })
      const url = `${apiUrl}/api/user-profile`
      const fresh = await fetch(url, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
      expect(fresh.status).toBe(200)
      await new Promise((r) => setTimeout(r, 2100))
      const res = await fetch(url, { headers: { authorization: `Bearer ${tokens.access_token}` } })
      expect(res.status).toBe(401)
      expect(challenge(res)).toMatch(/error="invalid_token", error_description="[^"]*exp/)
    } finally {
      await api.close()
      await as.close()
    }
  })
})

describe('DPoP tokens', () => {
  /** @type {import('./dpop-proof.mjs').DpopKey} */
  let key
  let token = ''
  beforeAll(async () => {
    key = await generateDpopKey()
    token = await accessToken({ dpopKey: key })
  })

  /**
   * @param {{ proof?: string | null, url?: string, method?: string, scheme?: string }} [o]
   */
  async function call(o = {}) {
    const url = o.url ?? profileUrl
    const method = o.method ?? 'GET'
    const proof =
      o.proof === undefined
        ? await createDpopProof(key, { htm: method, htu: url, accessToken: token })
        : o.proof
    /** @type {Record<string, string>} */
    const headers = { authorization: `${o.scheme ?? 'DPoP'} ${token}` }
    if (proof !== null) headers.dpop = proof
    return fetch(url, { method, headers })
  }

  it('accepts a valid proof', async () => {
    const res = await call()
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ tokenType: 'DPoP', sub: 'alice' })
    expect(res.headers.get('dpop-nonce')).toBeNull()
  })

  it('accepts a lower-case scheme and an htu without the query string', async () => {
    const url = `${profileUrl}?x=1`
    const proof = await createDpopProof(key, { htm: 'GET', htu: profileUrl, accessToken: token })
    const res = await call({ url, proof, scheme: 'dpop' })
    expect(res.status).toBe(200)
  })

  it('rejects a missing proof', async () => {
    const res = await call({ proof: null })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(
      /^DPoP realm="api", algs="ES256 RS256 PS256", error="invalid_dpop_proof"/,
    )
  })

  it('rejects a proof signed by another key', async () => {
    const other = await generateDpopKey()
    const proof = await createDpopProof(other, { htm: 'GET', htu: profileUrl, accessToken: token })
    const res = await call({ proof })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(/^DPoP .*error="invalid_token"/)
  })

  it('rejects a replayed proof (same jti)', async () => {
    const proof = await createDpopProof(key, { htm: 'GET', htu: profileUrl, accessToken: token })
    expect((await call({ proof })).status).toBe(200)
    const replay = await call({ proof })
    expect(replay.status).toBe(401)
    expect(challenge(replay)).toMatch(/error="invalid_dpop_proof"/)
  })

  it('rejects a wrong htu or htm', async () => {
    const wrongHtu = await createDpopProof(key, {
      htm: 'GET',
      htu: `${servers.apiUrl}/api/other`,
      accessToken: token,
    })
    const res1 = await call({ proof: wrongHtu })
    expect(res1.status).toBe(401)
    expect(challenge(res1)).toMatch(/htu mismatch/)

    const wrongHtm = await createDpopProof(key, {
      htm: 'POST',
      htu: profileUrl,
      accessToken: token,
    })
    const res2 = await call({ proof: wrongHtm })
    expect(res2.status).toBe(401)
    expect(challenge(res2)).toMatch(/htm mismatch/)
  })

  it('rejects an ath mismatch and a proof without ath', async () => {
    const wrongAth = await createDpopProof(key, {
      htm: 'GET',
      htu: profileUrl,
      accessToken: 'other',
    })
    const res1 = await call({ proof: wrongAth })
    expect(res1.status).toBe(401)
    expect(challenge(res1)).toMatch(/ath mismatch/)

    const noAth = await createDpopProof(key, { htm: 'GET', htu: profileUrl })
    expect((await call({ proof: noAth })).status).toBe(401)
  })

  it('rejects a stale iat, a wrong typ, a private jwk and a symmetric alg', async () => {
    const stale = await createDpopProof(key, {
      htm: 'GET',
      htu: profileUrl,
      accessToken: token,
      // oauth4webapi accepts proofs up to 300 s old
      iat: Math.floor(Date.now() / 1000) - 400,
    })
    const wrongTyp = await createDpopProof(key, {
      htm: 'GET',
      htu: profileUrl,
      accessToken: token,
      header: { typ: 'JWT' },
    })
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const privateJwk = await exportJWK(privateKey)
    const withPrivate = await createDpopProof(
      { ...key, privateKey, publicJwk: privateJwk },
      { htm: 'GET', htu: profileUrl, accessToken: token },
    )
    const hmac = await new SignJWT({
      htm: 'GET',
      htu: profileUrl,
      iat: Math.floor(Date.now() / 1000),
      jti: 'h1',
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0' } })
      .sign(new TextEncoder().encode('secret'))
    for (const proof of [stale, wrongTyp, withPrivate, hmac]) {
      const res = await call({ proof })
      expect(res.status).toBe(401)
      expect(challenge(res)).toMatch(/error="invalid_dpop_proof"/)
    }
  })

  it('rejects a Bearer (unbound) token sent with the DPoP scheme', async () => {
    const bearer = await accessToken()
    const proof = await createDpopProof(key, { htm: 'GET', htu: profileUrl, accessToken: bearer })
    const res = await fetch(profileUrl, {
      headers: { authorization: `DPoP ${bearer}`, dpop: proof },
    })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(/^DPoP .*error="invalid_token"/)
  })

  it('uses the DPoP scheme for insufficient_scope', async () => {
    const readOnlyKey = await generateDpopKey()
    const readOnly = await accessToken({ scope: 'openid read', dpopKey: readOnlyKey })
    const proof = await createDpopProof(readOnlyKey, {
      htm: 'POST',
      htu: notesUrl,
      accessToken: readOnly,
    })
    const res = await fetch(notesUrl, {
      method: 'POST',
      headers: {
        authorization: `DPoP ${readOnly}`,
        dpop: proof,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ text: 'x' }),
    })
    expect(res.status).toBe(403)
    expect(challenge(res)).toMatch(/^DPoP .*error="insufficient_scope".*scope="write"/)
  })
})

describe('which part failed: token or proof (oauth4webapi validates both, the challenge tells them apart)', () => {
  /** @type {import('./dpop-proof.mjs').DpopKey} */
  let key
  let token = ''
  beforeAll(async () => {
    key = await generateDpopKey()
    token = await accessToken({ dpopKey: key })
  })
  const proofFor = (/** @type {string} */ at, o = {}) =>
    createDpopProof(key, { htm: 'GET', htu: profileUrl, accessToken: at, ...o })

  it('a tampered bound token with a matching proof is invalid_token', async () => {
    const [h, p, s] = token.split('.')
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    const tampered = [
      h,
      Buffer.from(JSON.stringify({ ...claims, scope: 'read write admin' })).toString('base64url'),
      s,
    ].join('.')
    const res = await fetch(profileUrl, {
      headers: { authorization: `DPoP ${tampered}`, dpop: await proofFor(tampered) },
    })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(/^DPoP .*error="invalid_token"/)
  })

  it('a proof whose signature does not match its jwk is invalid_dpop_proof', async () => {
    const [h, p, s] = (await proofFor(token)).split('.')
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    const forged = [
      h,
      Buffer.from(JSON.stringify({ ...claims, jti: 'other' })).toString('base64url'),
      s,
    ].join('.')
    const res = await fetch(profileUrl, {
      headers: { authorization: `DPoP ${token}`, dpop: forged },
    })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(/^DPoP .*error="invalid_dpop_proof"/)
  })

  it('an unbound token with the DPoP scheme and no proof is invalid_token', async () => {
    const bearer = await accessToken()
    const res = await fetch(profileUrl, { headers: { authorization: `DPoP ${bearer}` } })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(
      /^DPoP .*error="invalid_token", error_description="access token is not DPoP-bound"/,
    )
  })

  it('a proof signed with an algorithm the API does not advertise (ES384) is refused', async () => {
    const es384 = await generateDpopKey('ES384')
    const bound = await accessToken({ dpopKey: await generateDpopKey() })
    const proof = await createDpopProof(es384, { htm: 'GET', htu: profileUrl, accessToken: bound })
    const res = await fetch(profileUrl, {
      headers: { authorization: `DPoP ${bound}`, dpop: proof },
    })
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(
      /error="invalid_dpop_proof", error_description="DPoP proof alg must be one of ES256, RS256, PS256"/,
    )
  })

  it('accepts a proof two minutes old (oauth4webapi allows 300 s) and two proofs at once are refused', async () => {
    const older = await proofFor(token, { iat: Math.floor(Date.now() / 1000) - 120 })
    const ok = await fetch(profileUrl, { headers: { authorization: `DPoP ${token}`, dpop: older } })
    expect(ok.status).toBe(200)
    const two = `${await proofFor(token)}, ${await proofFor(token)}`
    const res = await fetch(profileUrl, { headers: { authorization: `DPoP ${token}`, dpop: two } })
    expect(challenge(res)).toMatch(
      /error="invalid_dpop_proof", error_description="exactly one DPoP proof/,
    )
  })
})

describe('issuer unreachable', () => {
  it('answers 503 temporarily_unavailable, not invalid_token, and recovers when it is back', async () => {
    const asPort = await freePort()
    const apiPort = await freePort()
    const apiUrl = `http://localhost:${apiPort}`
    const api = await startApiServer({ port: apiPort, issuer: `http://localhost:${asPort}` })
    try {
      const url = `${apiUrl}/api/user-profile`
      const down = await fetch(url, { headers: { authorization: 'Bearer a.b.c' } })
      expect(down.status).toBe(503)
      expect(challenge(down)).toMatch(/error="temporarily_unavailable"/)

      const as = await startAuthServer({ port: asPort, apiResources: [apiUrl] })
      try {
        const { tokens } = await loginProgrammatically({
          issuer: as.issuer,
          redirectUri: REDIRECT,
          resource: apiUrl,
        })
        const up = await fetch(url, { headers: { authorization: `Bearer ${tokens.access_token}` } })
        expect(up.status).toBe(200)
      } finally {
        await as.close()
      }
    } finally {
      await api.close()
    }
  })
})

describe('DPoP nonces at the API', () => {
  it('answers use_dpop_nonce with a DPoP-Nonce header, accepts the retry, rejects a bad nonce', async () => {
    const strict = await startServers({
      authPort: 0,
      apiPort: 0,
      echoPort: 0,
      apiRequireDpopNonce: true,
      env: {},
    })
    try {
      const key = await generateDpopKey()
      const { tokens } = await loginProgrammatically({
        issuer: strict.issuer,
        redirectUri: REDIRECT,
        resource: strict.apiUrl,
        dpopKey: key,
      })
      const url = `${strict.apiUrl}/api/user-profile`
      const send = async (/** @type {string | undefined} */ nonce) =>
        fetch(url, {
          headers: {
            origin: APP,
            authorization: `DPoP ${tokens.access_token}`,
            dpop: await createDpopProof(key, {
              htm: 'GET',
              htu: url,
              accessToken: tokens.access_token,
              nonce,
            }),
          },
        })

      const first = await send(undefined)
      expect(first.status).toBe(401)
      expect(challenge(first)).toMatch(/^DPoP .*error="use_dpop_nonce", error_description="/)
      const nonce = first.headers.get('dpop-nonce')
      expect(nonce).toEqual(expect.any(String))
      expect(first.headers.get('access-control-expose-headers')).toMatch(/DPoP-Nonce/)

      const retry = await send(String(nonce))
      expect(retry.status).toBe(200)

      const bogus = await send('not-a-server-nonce')
      expect(bogus.status).toBe(401)
      expect(challenge(bogus)).toMatch(/use_dpop_nonce/)
    } finally {
      await strict.close()
    }
  })
})

describe('CORS and test hooks', () => {
  it('allows the app origin to send Authorization and DPoP, and nobody else', async () => {
    /** @param {string} origin */
    const preflight = (origin) =>
      fetch(profileUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization, dpop',
        },
      })
    const ok = await preflight(APP)
    expect(ok.status).toBe(204)
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP)
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/DPoP/)
    expect(ok.headers.get('vary')).toMatch(/Origin/)

    const denied = await preflight('http://localhost:6666')
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()

    const res = await fetch(profileUrl, { headers: { origin: APP } })
    expect(res.headers.get('access-control-expose-headers')).toBe(
      'WWW-Authenticate, DPoP-Nonce, Retry-After',
    )
  })

  it('records requests without tokens; reset clears', async () => {
    await fetch(`${servers.apiUrl}/__test/reset`, { method: 'POST' })
    const token = await accessToken()
    await fetch(profileUrl, { headers: { authorization: `Bearer ${token}` } })
    await fetch(profileUrl)
    const res = await fetch(`${servers.apiUrl}/__test/requests`, { headers: { origin: APP } })
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
    const text = await res.text()
    expect(text).not.toContain(token)
    expect(JSON.parse(text)).toEqual([
      {
        method: 'GET',
        path: '/api/user-profile',
        authorization: 'Bearer',
        dpop: false,
        status: 200,
      },
      { method: 'GET', path: '/api/user-profile', authorization: false, dpop: false, status: 401 },
    ])
    await fetch(`${servers.apiUrl}/__test/reset`, { method: 'POST' })
    expect(await (await fetch(`${servers.apiUrl}/__test/requests`)).json()).toEqual([])
  })
})

describe('API test hooks off', () => {
  it('is not served without testHooks', async () => {
    const plain = await startServers({ authPort: 0, apiPort: 0, echoPort: 0, env: {} })
    try {
      expect((await fetch(`${plain.apiUrl}/__test/requests`)).status).toBe(404)
    } finally {
      await plain.close()
    }
  })
})
