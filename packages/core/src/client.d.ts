import { type AuthClientOptions } from './config.js'
import type { AuthClient } from './types.js'
/**
 * Creates the client. It reads the stored session (IndexedDB, never the network); nothing it
 * starts outlives {@link AuthClient.destroy}.
 *
 * The client is a facade: `owner.ts` owns the session (stored record, state, cross-tab
 * messages), `scheduler.ts` decides when to refresh, `refresh.ts`, `authorize.ts` and
 * `logout.ts` run the protocol.
 *
 * @example
 * ```ts
 * const auth = createAuthClient({
 *   issuer: 'https://login.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: `${location.origin}/callback`,
 *   allowedOrigins: ['https://api.example.com'],
 * })
 * ```
 * @see RFC 9700, OAuth 2.0 for Browser-Based Applications
 */
export declare function createAuthClient(options: AuthClientOptions): AuthClient
