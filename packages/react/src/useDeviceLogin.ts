import { useCallback, useEffect, useRef, useState } from 'react'
import type { AuthError, DeviceLogin, DeviceLoginOptions } from '@oauth-spa/core'
import { useAuthClient } from './AuthProvider.js'

export type DeviceLoginStatus = 'idle' | 'starting' | 'pending' | 'approved' | 'failed'

export interface UseDeviceLoginResult {
  /** Asks the server for a code (`client.deviceLogin(options)`); a running one is cancelled. */
  start(options?: DeviceLoginOptions): Promise<void>
  /** Stops waiting: `status` becomes `'failed'` with an `aborted` error. */
  cancel(): void
  status: DeviceLoginStatus
  /** Show as text. */
  userCode: string | undefined
  verificationUri: string | undefined
  /** For a QR code; not every server sends one. */
  verificationUriComplete: string | undefined
  expiresAt: number | undefined
  /** `DeviceLoginError` (`access_denied`, `expired_token`, `aborted`) or another `AuthError`. */
  error: AuthError | null
}

type Shown = Omit<UseDeviceLoginResult, 'start' | 'cancel'>
const IDLE: Shown = {
  status: 'idle',
  userCode: undefined,
  verificationUri: undefined,
  verificationUriComplete: undefined,
  expiresAt: undefined,
  error: null,
}

/**
 * A device login (RFC 8628) for screens without a keyboard: `start()`, show `userCode` and
 * `verificationUri` (or a QR code of `verificationUriComplete`), and the session appears in
 * `useAuth()` once approved. Leaving the component cancels it.
 *
 * @example
 * ```tsx
 * const { start, userCode, verificationUri, status } = useDeviceLogin()
 * ```
 */
export function useDeviceLogin(): UseDeviceLoginResult {
  const client = useAuthClient()
  const [shown, setShown] = useState<Shown>(IDLE)
  const current = useRef<DeviceLogin | undefined>(undefined)

  useEffect(() => () => current.current?.cancel(), [client])

  const start = useCallback(
    async (options?: DeviceLoginOptions) => {
      current.current?.cancel()
      current.current = undefined
      setShown({ ...IDLE, status: 'starting' })
      let d: DeviceLogin
      try {
        d = await client.deviceLogin(options)
      } catch (error) {
        setShown({ ...IDLE, status: 'failed', error: error as AuthError })
        return
      }
      current.current = d
      const { userCode, verificationUri, verificationUriComplete, expiresAt } = d
      setShown({
        ...IDLE,
        status: 'pending',
        userCode,
        verificationUri,
        verificationUriComplete,
        expiresAt,
      })
      d.result.then(
        () => current.current === d && setShown({ ...IDLE, status: 'approved' }),
        (error: AuthError) =>
          current.current === d && setShown({ ...IDLE, status: 'failed', error }),
      )
    },
    [client],
  )
  const cancel = useCallback(() => current.current?.cancel(), [])
  return { ...shown, start, cancel }
}
