import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { toAuthError } from './classify.js'
import { AuthError, createAuthClient, memoryStore } from './index.js'
import type { TokenStore } from './index.js'
import { safeReturnTo } from './return-to.js'
import { readSession, toStoredToken } from './session.js'
import { FakeServer, oauthError } from './test/fake-server.js'
import { REDIRECT_URI } from './test/helpers.js'
import { takeTransaction, TRANSACTION_TTL } from './transactions.js'

/**
 * Fuzzing of what the SDK reads back from storage (sessions, login transactions) and of its pure
 * guards. Corrupted, foreign and old-schema records are discarded cleanly: no exception, no
 * prototype pollution, no token request on a bad transaction.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)
const ISSUER = 'https://as.example'
const NS = `${ISSUER}|fuzz-records`
const HOUR = 3600_000

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(NaN, Infinity, -Infinity, -0),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
)

/** A record built from a valid one: keys dropped, replaced with anything, or `__proto__` added. */
const mutated = (valid: Record<string, unknown>, depth = 2): fc.Arbitrary<unknown> =>
  Object.keys(valid).length === 0
    ? fc.oneof(fc.constant(valid), anyJson)
    : fc
        .record({
          drop: fc.subarray(Object.keys(valid)),
          replace: fc.dictionary(fc.constantFrom(...Object.keys(valid)), anyJson, { maxKeys: 2 }),
          nested: fc.boolean(),
          proto: fc.boolean(),
          whole: fc.option(anyJson, { freq: 10 }),
        })
        .chain((m) => {
          if (m.whole !== null) return fc.constant(m.whole)
          const out: Record<string, unknown> = { ...valid }
          for (const k of m.drop) delete out[k]
          Object.assign(out, m.replace)
          const objects = Object.entries(out).filter(
            ([, v]) =>
              typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0,
          )
          const finish = (o: Record<string, unknown>) =>
            m.proto
              ? (JSON.parse(
                  `{"__proto__":{"polluted":"yes"}${JSON.stringify(o) === '{}' ? '' : ','}${JSON.stringify(o).slice(1)}`,
                ) as Record<string, unknown>)
              : o
          if (!m.nested || depth === 0 || objects.length === 0) return fc.constant(finish(out))
          return fc
            .constantFrom(...objects)
            .chain(([k, v]) =>
              mutated(v as Record<string, unknown>, depth - 1).map((inner) =>
                finish({ ...out, [k]: inner }),
              ),
            )
        })

const validSession = (now: number) => ({
  v: 1,
  ns: NS,
  user: { sub: 'user-1', name: 'Ada' },
  idClaims: { iss: ISSUER, sub: 'user-1', aud: 'fuzz-records' },
  idToken: 'h.p.s',
  refreshToken: 'rt-1',
  tokens: {
    '': {
      accessToken: 'at-1',
      tokenType: 'bearer',
      expiresAt: now + HOUR,
      leeway: 60_000,
      scope: 'openid',
    },
  },
  dpop: false,
})

const polluted = () => (({}) as Record<string, unknown>).polluted !== undefined

const storeWith = (
  entries: Record<string, unknown>,
): TokenStore & { map: Map<string, unknown> } => {
  const map = new Map(Object.entries(entries))
  return {
    map,
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
    del: async (k) => void map.delete(k),
    keys: async () => [...map.keys()],
    update: async (k, fn) => {
      const v = fn(map.get(k))
      if (v === undefined) map.delete(k)
      else map.set(k, v)
    },
  }
}

describe('fuzz: stored records', () => {
  test(`${RUNS} stored sessions through readSession: a session of the right shape, or nothing`, () => {
    fc.assert(
      fc.property(
        mutated(validSession(Date.now())),
        fc.constantFrom(NS, `${NS}x`),
        (record, ns) => {
          const s = readSession(record, ns)
          if (s) {
            expect(s.v).toBe(1)
            expect(s.ns).toBe(ns)
            expect(typeof s.user.sub).toBe('string')
            for (const t of Object.values(s.tokens)) {
              expect(typeof t.accessToken).toBe('string')
              expect(typeof t.expiresAt).toBe('number')
            }
            if (s.refreshToken !== undefined) expect(typeof s.refreshToken).toBe('string')
          }
          expect(polluted()).toBe(false)
        },
      ),
      { numRuns: RUNS },
    )
  })

  test(`${RUNS} stored sessions restored by a client: loaded or discarded, typed errors only`, async () => {
    const server = new FakeServer({ issuer: ISSUER })
    // Any refresh the restored session attempts is refused: the session must then end cleanly.
    const fetch: typeof globalThis.fetch = async (input, init) =>
      String(input).endsWith('/token') ? oauthError('invalid_grant') : server.fetch(input, init)
    const discovery = { v: 1, at: Date.now(), as: server.metadata }
    let loaded = 0
    await fc.assert(
      fc.asyncProperty(mutated(validSession(Date.now())), async (record) => {
        const store = storeWith({ session: record, discovery })
        const auth = createAuthClient({
          issuer: ISSUER,
          clientId: 'fuzz-records',
          redirectUri: REDIRECT_URI,
          autoRefresh: false,
          storage: store,
          fetch,
          navigate: () => {},
        })
        try {
          await auth.ready
          const accepted = readSession(record, NS) !== undefined
          const state = auth.getState()
          expect(state.status).toBe(accepted ? 'authenticated' : 'unauthenticated')
          if (accepted) loaded++
          const outcome = await auth.getAccessToken().then(
            (t) => t,
            (err: unknown) => err,
          )
          if (typeof outcome !== 'string') {
            expect(outcome).toBeInstanceOf(AuthError)
            // A refused refresh ends the session: nothing half-written is left behind.
            if (auth.getState().status === 'unauthenticated' && accepted)
              expect(store.map.has('session')).toBe(false)
          }
          expect(polluted()).toBe(false)
        } finally {
          auth.destroy()
        }
      }),
      { numRuns: RUNS },
    )
    if (RUNS >= 1000) expect(loaded).toBeGreaterThan(0)
  }, 120_000)

  const validTx = (state: string, now: number) => ({
    v: 1,
    state,
    verifier: 'v'.repeat(43),
    nonce: 'n-1',
    issuer: ISSUER,
    redirectUri: REDIRECT_URI,
    returnTo: '/',
    scope: 'openid',
    createdAt: now,
  })

  test(`${RUNS} stored transactions through takeTransaction: one use, right shape or nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(validTx('s-1', Date.now())), async (record) => {
        const store = memoryStore()
        await store.set('tx:s-1', record)
        const tx = await takeTransaction(store, 's-1')
        expect(await store.get('tx:s-1')).toBeUndefined()
        if (tx) {
          expect(tx.v).toBe(1)
          expect(tx.state).toBe('s-1')
          expect(typeof tx.verifier).toBe('string')
        }
        expect(polluted()).toBe(false)
      }),
      { numRuns: RUNS },
    )
  })

  test(`${RUNS} stored transactions met by a callback: typed errors, spent, a token request only for a well-formed one`, async () => {
    const server = new FakeServer({ issuer: ISSUER })
    const discovery = { v: 1, at: Date.now(), as: server.metadata }
    const store = storeWith({ discovery })
    const auth = createAuthClient({
      issuer: ISSUER,
      clientId: 'fuzz-records',
      redirectUri: REDIRECT_URI,
      autoRefresh: false,
      storage: store,
      fetch: server.fetch,
      navigate: () => {},
    })
    let n = 0
    try {
      await fc.assert(
        fc.asyncProperty(mutated(validTx('S', Date.now())), async (record) => {
          const state = `s-${++n}`
          const tx =
            typeof record === 'object' &&
            record !== null &&
            (record as { state?: unknown }).state === 'S'
              ? { ...record, state }
              : record
          store.map.set(`tx:${state}`, tx)
          const before = server.tokenRequests.length
          const outcome = await auth
            .handleRedirectCallback(
              `${REDIRECT_URI}?code=unknown&state=${state}&iss=${encodeURIComponent(ISSUER)}`,
            )
            .then(
              () => 'resolved',
              (err: unknown) => err,
            )
          expect(outcome).toBeInstanceOf(AuthError)
          expect(store.map.has(`tx:${state}`)).toBe(false)
          expect(store.map.has('session')).toBe(false)
          const t = tx as Record<string, unknown> | null
          const wellFormed =
            typeof t === 'object' &&
            t !== null &&
            t.v === 1 &&
            t.state === state &&
            typeof t.verifier === 'string' &&
            typeof t.createdAt === 'number' &&
            Date.now() - t.createdAt <= TRANSACTION_TTL
          if (!wellFormed) expect(server.tokenRequests.length).toBe(before)
          expect(server.tokenRequests.length - before).toBeLessThanOrEqual(1)
          expect(polluted()).toBe(false)
        }),
        { numRuns: RUNS },
      )
    } finally {
      auth.destroy()
    }
  }, 120_000)
})

describe('fuzz: pure guards', () => {
  test(`${RUNS} lifetimes: no refresh storm and no timer overflow`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyJson,
          fc.integer(),
          fc.double(),
          fc.constantFrom(0, -1, 2 ** 31, 1e12, 2 ** 53),
        ),
        fc.integer({ min: 0, max: 3600 }),
        (expiresIn, leeway) => {
          const now = 1_700_000_000_000
          const t = toStoredToken(
            { access_token: 'a', token_type: 'bearer', expires_in: expiresIn as number },
            now,
            leeway,
            'openid',
          )
          const lifetime = t.expiresAt - now
          expect(Number.isFinite(t.expiresAt)).toBe(true)
          expect(lifetime).toBeGreaterThanOrEqual(10_000)
          expect(lifetime).toBeLessThanOrEqual(365 * 86400_000)
          expect(t.leeway).toBeGreaterThanOrEqual(0)
          expect(t.leeway).toBeLessThanOrEqual(lifetime / 2 + 0.01) // ms; `now + lifetime` rounds at 1e12
        },
      ),
      { numRuns: RUNS },
    )
  })

  test(`${RUNS} returnTo values: always a same-origin path`, () => {
    const ORIGIN = 'http://localhost:5173'
    const piece = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(
        '/',
        '//',
        '\\',
        '/\\',
        '%2F',
        '%5C',
        '.',
        '..',
        '@',
        ':',
        'evil.com',
        '\t',
        '\n',
        'javascript:',
        '#',
        '?',
      ),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const out = safeReturnTo(pieces.join(''), ORIGIN)
        expect(out.startsWith('/')).toBe(true)
        expect(/^\/[/\\]/.test(out)).toBe(false)
        expect(new URL(out, ORIGIN).origin).toBe(ORIGIN)
      }),
      { numRuns: RUNS },
    )
  })

  test(`${RUNS} thrown values: always an AuthError, never the response attached`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJson,
          fc.string().map((m) => new Error(m)),
          fc.string().map((m) => new TypeError(m)),
          fc
            .constantFrom('TimeoutError', 'AbortError', 'NotFoundError')
            .map((n) => new DOMException('x', n)),
          fc
            .record({
              status: fc.integer({ min: 100, max: 599 }),
              retryAfter: fc.string({ maxLength: 6 }),
            })
            .map(({ status, retryAfter }) =>
              Object.assign(new Error('http'), {
                response: new Response(null, { status, headers: { 'retry-after': retryAfter } }),
              }),
            ),
        ),
        async (thrown) => {
          const err = toAuthError(thrown, 'Fuzzing')
          expect(err).toBeInstanceOf(AuthError)
          expect(err.cause).toBeUndefined()
          const retryAfter = (err as { retryAfter?: number }).retryAfter
          if (retryAfter !== undefined) expect(retryAfter).toBeGreaterThan(0)
        },
      ),
      { numRuns: RUNS },
    )
  })
})
