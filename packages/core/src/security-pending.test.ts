import { describe, expect, test } from 'vitest'
import { AuthError, CallbackError } from './index.js'
import { FakeServer } from './test/fake-server.js'
import { errorOf, idb, loginFlow, makeClient, uniqueClientId } from './test/helpers.js'

/**
 * Protections the core does not have yet (found by the fuzzers and the rule → test table in
 * e2e/SECURITY-TESTS.md). Each test states the wanted behaviour and is marked `test.fails`: it
 * passes while the protection is missing, and starts failing the day it lands — then drop the
 * `.fails` and it guards the protection like any other test.
 */
describe('pending core changes', () => {
  test.fails(
    'client.ts: handleRedirectCallback() with a malformed URL rejects with a CallbackError instead of throwing a TypeError synchronously',
    async () => {
      const server = new FakeServer()
      const auth = makeClient(server)
      let p: Promise<unknown> | undefined
      let thrown: unknown
      try {
        p = auth.handleRedirectCallback('::not a url')
      } catch (err) {
        thrown = err
      }
      expect(thrown).toBeUndefined()
      expect(await errorOf(p!)).toBeInstanceOf(CallbackError)
    },
  )

  test.fails(
    'transactions.ts / authorize.ts: a stored transaction whose createdAt is not a finite number is refused before any token request (its time-to-live cannot be checked)',
    async () => {
      const server = new FakeServer()
      const clientId = uniqueClientId()
      const auth = makeClient(server, { clientId })
      await auth.login()
      const url = server.lastNavigation()
      const state = url.searchParams.get('state')!
      const tx = (await idb.get(server.issuer, clientId, `tx:${state}`)) as Record<string, unknown>
      await idb.set(server.issuer, clientId, `tx:${state}`, { ...tx, createdAt: 'yesterday' })
      const err = await errorOf(auth.handleRedirectCallback(server.authorize(url.href)))
      expect(err).toBeInstanceOf(CallbackError)
      expect(server.tokenRequests).toHaveLength(0)
    },
  )

  test.fails(
    'discovery.ts: metadata whose id_token_signing_alg_values_supported is not an array is a typed configuration error and is not cached',
    async () => {
      const server = new FakeServer({
        metadata: { id_token_signing_alg_values_supported: 'RS256' },
      })
      const clientId = uniqueClientId()
      const auth = makeClient(server, { clientId })
      const err = await errorOf(auth.login())
      expect(err).toBeInstanceOf(AuthError)
      // Not "the server is unreachable": the document is wrong.
      expect((err as AuthError).code).not.toBe('network_error')
      // The server fixes its document: the next login must not be stuck on the cached one.
      server.metadata.id_token_signing_alg_values_supported = ['RS256']
      await loginFlow(auth, server)
      expect(auth.getState().status).toBe('authenticated')
    },
  )

  test.fails(
    'http.ts: a token response larger than a sane limit (here 5 MB) is refused with a typed error, nothing stored',
    async () => {
      const server = new FakeServer()
      const clientId = uniqueClientId()
      server.tokenReplies.push(async (req, s) => {
        const res = await s.issue(req)
        const body = (await res.json()) as Record<string, unknown>
        return new Response(JSON.stringify({ ...body, padding: 'x'.repeat(5 * 1024 * 1024) }), {
          headers: { 'content-type': 'application/json' },
        })
      })
      const auth = makeClient(server, { clientId })
      const err = await errorOf(loginFlow(auth, server))
      expect(err).toBeInstanceOf(AuthError)
      expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
    },
  )
})
