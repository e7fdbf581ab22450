import { describe, expect, test } from 'vitest'
import { AuthError, CallbackError } from './index.js'
import { FakeServer } from './test/fake-server.js'
import { errorOf, loginFlow, makeClient, uniqueClientId } from './test/helpers.js'

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
})
