import { bench, describe } from 'vitest'
import { FakeServer } from './test/fake-server.js'
import { loginFlow, makeClient } from './test/helpers.js'

// `pnpm bench`: throughput of the cached path (a resolved promise, one clock read).
describe('getAccessToken', async () => {
  const server = new FakeServer()
  const auth = makeClient(server, { storage: 'memory' })
  await loginFlow(auth, server)
  bench('cached token', async () => {
    await auth.getAccessToken()
  })
})
