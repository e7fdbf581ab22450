import { expect, test } from 'vitest'
import { FakeServer } from './test/fake-server.js'
import { loginFlow, makeClient } from './test/helpers.js'

test('every API named in allowedOrigins is asked for at login, once each (RFC 8707)', async () => {
  const server = new FakeServer()
  const auth = makeClient(server, {
    resource: 'https://api.example',
    allowedOrigins: [
      'https://api.example',
      { url: 'https://billing.example', resource: 'https://billing.example' },
      { url: 'https://billing.example/v2/', resource: 'https://billing.example' },
    ],
  })
  const { authorizationUrl } = await loginFlow(auth, server)
  expect(authorizationUrl.searchParams.getAll('resource')).toEqual([
    'https://api.example',
    'https://billing.example',
  ])
  // The code is exchanged for the default API's token only.
  const exchange = server.requests.find((r) => r.form?.get('grant_type') === 'authorization_code')
  expect(exchange?.form?.getAll('resource')).toEqual(['https://api.example'])
})
