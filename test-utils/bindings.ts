// Test helpers shared by the React and Vue binding tests: a real core client against a fake
// authorization server at the fetch edge.
import { vi } from 'vitest'
import { createAuthClient, type AuthClient } from '@oauth-spa/core'

export const ISSUER = 'https://login.example.com'
export const REDIRECT_URI = 'http://localhost:5173/callback'

const b64u = (x: unknown) =>
  btoa(JSON.stringify(x)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })

let clients = 0

export interface TestAuth {
  client: AuthClient
  /** What the client asked `navigate` to open. */
  navigate: ReturnType<typeof vi.fn<(url: string) => void>>
  /** Every request the client made, at the network edge. */
  fetch: ReturnType<typeof vi.fn<typeof fetch>>
  /** Answers the token endpoint; replace it to delay or vary answers. */
  token: ReturnType<typeof vi.fn<(params: URLSearchParams) => object | Promise<object>>>
  /** Runs the real login → redirect → callback round trip; resolves logged in. */
  signIn(): Promise<void>
  /** The URL the server would redirect back to for the last `login()`. */
  callbackUrl(): string
}

/**
 * A real core client (memory storage) whose only fake is the network: `server: false` makes every
 * request fail; otherwise a tiny authorization server answers discovery and the token endpoint.
 */
export function createTestAuth({ server = true } = {}): TestAuth {
  const clientId = `spa-${++clients}`
  const navigate = vi.fn<(url: string) => void>()
  let issued = 0
  const token = vi.fn(async (params: URLSearchParams): Promise<object> => {
    const now = Math.floor(Date.now() / 1000)
    const nonce = new URL(navigate.mock.lastCall![0]).searchParams.get('nonce')
    const idToken = [
      b64u({ alg: 'RS256', typ: 'JWT' }),
      b64u({
        iss: ISSUER,
        aud: clientId,
        sub: 'user-1',
        name: 'Ada',
        iat: now,
        exp: now + 300,
        nonce,
      }),
      'c2ln',
    ].join('.')
    issued++
    return {
      access_token: `at-${issued}`,
      token_type: 'Bearer',
      // A different lifetime per token, so each one changes `state.expiresAt`.
      expires_in: 3600 - issued,
      refresh_token: `rt-${issued}`,
      ...(params.get('grant_type') === 'authorization_code' ? { id_token: idToken } : {}),
    }
  })
  const fetchFn = vi.fn<typeof fetch>(async (input, init) => {
    const url = String(input instanceof Request ? input.url : input)
    if (server && url === `${ISSUER}/.well-known/openid-configuration`) {
      return json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/authorize`,
        token_endpoint: `${ISSUER}/token`,
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      })
    }
    if (server && url === `${ISSUER}/token`) {
      return json(await token(new URLSearchParams(String(init?.body))))
    }
    throw new TypeError(`Unexpected request: ${url}`)
  })
  const client = createAuthClient({
    issuer: ISSUER,
    clientId,
    redirectUri: REDIRECT_URI,
    storage: 'memory',
    fetch: fetchFn,
    navigate,
  })
  const callbackUrl = () => {
    const state = new URL(navigate.mock.lastCall![0]).searchParams.get('state')
    return `${REDIRECT_URI}?code=code-1&state=${state}`
  }
  return {
    client,
    navigate,
    fetch: fetchFn,
    token,
    callbackUrl,
    async signIn() {
      await client.login({ returnTo: '/account' })
      await client.handleRedirectCallback(callbackUrl())
    },
  }
}

/** Spies on `client.subscribe` and counts the listeners still registered. */
export function countListeners(client: AuthClient): () => number {
  const subscribe = client.subscribe
  let live = 0
  vi.spyOn(client, 'subscribe').mockImplementation((listener) => {
    const unsubscribe = subscribe(listener)
    live++
    return () => {
      live--
      unsubscribe()
    }
  })
  return () => live
}
