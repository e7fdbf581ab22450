import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startAuthServer } from './auth-server.mjs'
import { createDpopProof, generateDpopKey } from './dpop-proof.mjs'
import { freePort } from './http-util.mjs'
import { startProtectedApi } from './protect-node-http.mjs'
import { loginProgrammatically } from './test-login.mjs'

// The guide's example (docs/protecting-your-api.md) against real tokens from the local issuer.
const REDIRECT = 'http://localhost:5173/callback'

/** @type {Awaited<ReturnType<typeof startAuthServer>>} */
let as
/** @type {Awaited<ReturnType<typeof startProtectedApi>>} */
let api
/** @type {Awaited<ReturnType<typeof startProtectedApi>>} */
let strict
let hello = ''
let strictHello = ''

beforeAll(async () => {
  const [port, strictPort] = [await freePort(), await freePort()]
  const urls = [`http://localhost:${port}`, `http://localhost:${strictPort}`]
  as = await startAuthServer({ port: 0, apiResources: urls })
  api = await startProtectedApi({ issuer: as.issuer, port })
  strict = await startProtectedApi({ issuer: as.issuer, port: strictPort, requireNonce: true })
  hello = `${api.url}/api/hello`
  strictHello = `${strict.url}/api/hello`
})
afterAll(async () => {
  await api?.close()
  await strict?.close()
  await as?.close()
})

/** @param {{ resource?: string, scope?: string, dpopKey?: import('./dpop-proof.mjs').DpopKey }} [o] */
const token = async (o = {}) =>
  (
    await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      resource: o.resource ?? api.url,
      scope: o.scope,
      dpopKey: o.dpopKey,
    })
  ).tokens.access_token

const challenge = (/** @type {Response} */ res) => res.headers.get('www-authenticate') ?? ''

describe('the protect-node-http example', () => {
  it('answers a valid Bearer token (any case of the scheme)', async () => {
    const at = await token()
    for (const scheme of ['Bearer', 'bearer']) {
      const res = await fetch(hello, { headers: { authorization: `${scheme} ${at}` } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ hello: 'alice' })
    }
  })

  it('challenges a request without a token with both schemes', async () => {
    const res = await fetch(hello)
    expect(res.status).toBe(401)
    expect(challenge(res)).toMatch(
      /^Bearer realm="api", DPoP realm="api", algs="ES256 RS256 PS256"$/,
    )
  })

  it('rejects a tampered token, a token for another API and a missing scope', async () => {
    const at = await token()
    const tampered = `${at.slice(0, -4)}AAAA`
    const other = await token({ resource: strict.url })
    for (const bad of [tampered, other]) {
      const res = await fetch(hello, { headers: { authorization: `Bearer ${bad}` } })
      expect(res.status).toBe(401)
      expect(challenge(res)).toMatch(/^Bearer realm="api", error="invalid_token"/)
    }
    const writeOnly = await token({ scope: 'openid write' })
    const res = await fetch(hello, { headers: { authorization: `Bearer ${writeOnly}` } })
    expect(res.status).toBe(403)
    expect(challenge(res)).toMatch(/error="insufficient_scope".*scope="read"/)
  })

  it('checks DPoP: a valid proof passes once; replay, wrong htu, other key and Bearer use fail', async () => {
    const key = await generateDpopKey()
    const at = await token({ dpopKey: key })
    const proof = (/** @type {Record<string, unknown>} */ o = {}) =>
      createDpopProof(key, { htm: 'GET', htu: hello, accessToken: at, ...o })
    const send = async (/** @type {string} */ p, scheme = 'DPoP') =>
      fetch(hello, { headers: { authorization: `${scheme} ${at}`, dpop: p } })

    const good = await proof()
    expect((await send(good)).status).toBe(200)
    const replay = await send(good)
    expect(replay.status).toBe(401)
    expect(challenge(replay)).toMatch(/^DPoP realm="api", error="invalid_dpop_proof"/)

    const wrongHtu = await send(await proof({ htu: `${api.url}/api/other` }))
    expect(challenge(wrongHtu)).toMatch(/error="invalid_dpop_proof", error_description="[^"]*htu/)

    const other = await generateDpopKey()
    const byOther = await fetch(hello, {
      headers: {
        authorization: `DPoP ${at}`,
        dpop: await createDpopProof(other, { htm: 'GET', htu: hello, accessToken: at }),
      },
    })
    expect(challenge(byOther)).toMatch(/^DPoP realm="api", error="invalid_token"/)

    const asBearer = await fetch(hello, { headers: { authorization: `Bearer ${at}` } })
    expect(asBearer.status).toBe(401)
    expect(challenge(asBearer)).toMatch(/^Bearer realm="api", error="invalid_token"/)

    const noProof = await fetch(hello, { headers: { authorization: `DPoP ${at}` } })
    expect(challenge(noProof)).toMatch(/^DPoP realm="api", error="invalid_dpop_proof"/)
  })

  it('demands a server nonce when configured, and accepts the retry with it', async () => {
    const key = await generateDpopKey()
    const at = await token({ resource: strict.url, dpopKey: key })
    const send = async (/** @type {string | undefined} */ nonce) =>
      fetch(strictHello, {
        headers: {
          authorization: `DPoP ${at}`,
          dpop: await createDpopProof(key, {
            htm: 'GET',
            htu: strictHello,
            accessToken: at,
            nonce,
          }),
        },
      })
    const first = await send(undefined)
    expect(first.status).toBe(401)
    expect(challenge(first)).toMatch(/error="use_dpop_nonce"/)
    const nonce = first.headers.get('dpop-nonce')
    expect(nonce).toMatch(/^[\w-]{20,}$/)
    expect((await send(String(nonce))).status).toBe(200)
    expect((await send('made-up')).status).toBe(401)
  })
})

describe('docs/protecting-your-api.md', () => {
  it('quotes this example as it is (every js block is in protect-node-http.mjs)', async () => {
    const guide = await readFile(
      new URL('../../docs/protecting-your-api.md', import.meta.url),
      'utf8',
    )
    const source = await readFile(new URL('./protect-node-http.mjs', import.meta.url), 'utf8')
    const lines = (/** @type {string} */ text) =>
      text
        .split('\n')
        .map((l) => l.trim())
        .join('\n')
    const blocks = [...guide.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => lines(m[1]).trim())
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    for (const block of blocks) expect(lines(source)).toContain(block)
  })
})
