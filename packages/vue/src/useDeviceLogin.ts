import { getCurrentScope, onScopeDispose, shallowReadonly, shallowRef, type ShallowRef } from 'vue'
import {
  DeviceLoginError,
  type AuthClient,
  type AuthError,
  type DeviceLogin,
  type DeviceLoginOptions,
} from '@oauth-spa/core'
import { useAuthClient } from './createAuthPlugin.js'

export type DeviceLoginStatus = 'idle' | 'starting' | 'pending' | 'approved' | 'failed'

export interface UseDeviceLoginResult {
  /** Asks the server for a code (`client.deviceLogin(options)`); a running one is cancelled. */
  start(options?: DeviceLoginOptions): Promise<void>
  /** Stops waiting (or starting): `status` becomes `'failed'` with an `aborted` error. */
  cancel(): void
  status: Readonly<ShallowRef<DeviceLoginStatus>>
  /** Show as text. */
  userCode: Readonly<ShallowRef<string | undefined>>
  verificationUri: Readonly<ShallowRef<string | undefined>>
  /** For a QR code; not every server sends one. */
  verificationUriComplete: Readonly<ShallowRef<string | undefined>>
  expiresAt: Readonly<ShallowRef<number | undefined>>
  /** `DeviceLoginError` (`access_denied`, `expired_token`, `aborted`) or another `AuthError`. */
  error: Readonly<ShallowRef<AuthError | null>>
}

/**
 * A device login (RFC 8628) for screens without a keyboard: `start()`, show `userCode` and
 * `verificationUri` (or a QR code of `verificationUriComplete`), and the session appears in
 * `useAuth()` once approved. Leaving the component cancels it.
 *
 * @example
 * ```ts
 * const { start, userCode, verificationUri, status } = useDeviceLogin()
 * ```
 */
export function useDeviceLogin(client: AuthClient = useAuthClient()): UseDeviceLoginResult {
  const status = shallowRef<DeviceLoginStatus>('idle')
  const userCode = shallowRef<string>()
  const verificationUri = shallowRef<string>()
  const verificationUriComplete = shallowRef<string>()
  const expiresAt = shallowRef<number>()
  const error = shallowRef<AuthError | null>(null)
  let current: DeviceLogin | undefined
  // Bumped by start, cancel and unmount: a code that arrives for an older run is cancelled unseen.
  let run = 0

  const show = (d: DeviceLogin | undefined, next: DeviceLoginStatus, err: AuthError | null) => {
    status.value = next
    userCode.value = d?.userCode
    verificationUri.value = d?.verificationUri
    verificationUriComplete.value = d?.verificationUriComplete
    expiresAt.value = d?.expiresAt
    error.value = err
  }
  const cancel = () => {
    run++
    if (current) return current.cancel()
    // Still asking for a code: that code is cancelled when it arrives.
    if (status.value === 'starting')
      show(undefined, 'failed', new DeviceLoginError('aborted', 'The device login was cancelled.'))
  }
  if (getCurrentScope()) onScopeDispose(cancel)

  async function start(options?: DeviceLoginOptions) {
    const mine = ++run
    current?.cancel()
    current = undefined
    show(undefined, 'starting', null)
    let d: DeviceLogin
    try {
      d = await client.deviceLogin(options)
    } catch (err) {
      if (run === mine) show(undefined, 'failed', err as AuthError)
      return
    }
    if (run !== mine) return d.cancel()
    current = d
    show(d, 'pending', null)
    d.result.then(
      () => current === d && show(undefined, 'approved', null),
      (err: AuthError) => current === d && show(undefined, 'failed', err),
    )
  }

  return {
    start,
    cancel,
    status: shallowReadonly(status),
    userCode: shallowReadonly(userCode),
    verificationUri: shallowReadonly(verificationUri),
    verificationUriComplete: shallowReadonly(verificationUriComplete),
    expiresAt: shallowReadonly(expiresAt),
    error: shallowReadonly(error),
  }
}
