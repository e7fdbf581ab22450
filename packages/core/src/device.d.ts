import type { Ctx } from './context.js'
import type { DeviceLogin, DeviceLoginOptions } from './types.js'
/** RFC 8628 §3.5: the polling interval when the server names none, and what `slow_down` adds. */
export declare const DEFAULT_INTERVAL = 5
export declare const SLOW_DOWN = 5
/**
 * Device authorization grant (RFC 8628): asks the server for a user code, then polls the token
 * endpoint — one request at a time, every `interval` seconds, 5 s more after each `slow_down`,
 * never past `expires_in` — until the person approved or denied on another device. The device
 * code lives in this closure only. An approval is stored like a redirect login's session (under
 * the lock, `loggedIn`, shared with the other tabs, refreshed as usual).
 */
export declare function deviceLogin(ctx: Ctx, opts: DeviceLoginOptions): Promise<DeviceLogin>
