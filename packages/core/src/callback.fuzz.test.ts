import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { AuthError } from './index.js'
import { FakeServer } from './test/fake-server.js'
import { makeClient, REDIRECT_URI } from './test/helpers.js'

/**
 * Fuzzing of authorization responses (callback URLs): duplicates, fragments, both `code` and
 * `error`, huge values, bad percent-encodings, with the pending login's real `state` or another.
 * Whatever arrives: a typed error, at most one token request and only for the real state, no
 * session, and the response gone from the address bar.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)

/** Values a hostile or broken server (or attacker) may put in a parameter. */
const value = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    '%',
    '%zz',
    '%E0%A4%A',
    '%00',
    '%2F%2Fevil',
    '\u0000',
    '\uD800',
    '+',
    '&',
    '#',
  ),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
)

type Part = { k: string; v: string; raw: boolean }
const part = (k: fc.Arbitrary<string>): fc.Arbitrary<Part> =>
  fc.record({ k, v: value, raw: fc.boolean() })

/** A callback: parameters (some written raw, i.e. without encoding), optionally a fragment. */
const response = fc.record({
  useRealState: fc.boolean(),
  stateCopies: fc.integer({ min: 0, max: 2 }),
  params: fc.array(
    part(
      fc.oneof(
        fc.constantFrom(
          'code',
          'code',
          'error',
          'error_description',
          'iss',
          'iss',
          'session_state',
          '__proto__',
          'constructor',
          'response',
        ),
        fc.string({ maxLength: 8 }),
      ),
    ),
    { maxLength: 6 },
  ),
  issMode: fc.constantFrom('right', 'wrong', 'none'),
  fragment: fc.option(
    fc.array(part(fc.constantFrom('code', 'state', 'iss', 'error')), { maxLength: 3 }),
  ),
  viaLocation: fc.boolean(),
})

/** Percent-encoded, except raw parts and lone surrogates (which the URL parser then replaces). */
const pct = (s: string) => {
  try {
    return encodeURIComponent(s)
  } catch {
    return s
  }
}
const enc = (p: Part) => (p.raw ? `${p.k}=${p.v}` : `${pct(p.k)}=${pct(p.v)}`)

describe('fuzz: authorization responses through isCallback and handleRedirectCallback', () => {
  test(`${RUNS} callbacks: typed errors only, no session, no stray token request`, async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { storage: 'memory', clientId: 'fuzz-callback' })
    let pending: string | undefined
    const seen = { exchanges: 0, recognised: 0 }
    await fc.assert(
      fc.asyncProperty(response, async (r) => {
        if (r.useRealState && !pending) {
          await auth.login()
          pending = server.lastNavigation().searchParams.get('state')!
        }
        const state = r.useRealState ? pending! : 'not-the-state'
        const parts = [...r.params.map(enc)]
        for (let i = 0; i < r.stateCopies; i++)
          parts.splice(i, 0, `state=${encodeURIComponent(state)}`)
        if (r.issMode !== 'none') {
          const iss = r.issMode === 'right' ? server.issuer : 'https://evil.example'
          parts.push(`iss=${encodeURIComponent(iss)}`)
        }
        const fragment = r.fragment ? `#${r.fragment.map(enc).join('&')}` : ''
        const url = `${REDIRECT_URI}?${parts.join('&')}${fragment}`
        const before = server.tokenRequests.length

        const recognised = auth.isCallback(url)
        if (recognised) seen.recognised++
        expect(typeof recognised).toBe('boolean')
        const q = new URL(url).searchParams
        expect(recognised).toBe(q.has('state') && (q.has('code') || q.has('error')))

        if (r.viaLocation) history.replaceState(null, '', url)
        const outcome = await (
          r.viaLocation ? auth.handleRedirectCallback() : auth.handleRedirectCallback(url)
        ).then(
          () => 'resolved',
          (err: unknown) => err,
        )
        // No code the server issued is ever in these responses: every one must be refused.
        expect(outcome).toBeInstanceOf(AuthError)
        expect(auth.getState()).toMatchObject({ status: 'unauthenticated', user: null })
        const sent = server.tokenRequests.length - before
        // The code exchange happens at most once, and only for the pending login's own state.
        expect(sent).toBeLessThanOrEqual(1)
        seen.exchanges += sent
        if (sent) expect(new URL(url).searchParams.get('state')).toBe(pending)
        // The pending state is spent by a response that carried it first (one use, whatever the outcome).
        if (q.get('state') === pending) pending = undefined
        if (r.viaLocation) {
          const left = new URL(location.href).searchParams
          for (const p of ['code', 'state', 'iss', 'error', 'error_description', 'session_state'])
            expect(left.has(p)).toBe(false)
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: RUNS },
    )
    // Not vacuous: some responses reached the code exchange, many looked like callbacks.
    if (RUNS >= 1000) {
      expect(seen.exchanges).toBeGreaterThan(0)
      expect(seen.recognised).toBeGreaterThan(RUNS / 10)
    }
  }, 120_000)
})
