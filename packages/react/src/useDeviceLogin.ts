import { useCallback, useEffect, useRef, useState } from 'react'
import {
  DeviceLoginError,
  type AuthError,
  type DeviceLogin,
  type DeviceLoginOptions,
} from '@oauth-spa/core'
import { useAuthClient } from './AuthProvider.js'

export type DeviceLoginStatus = 'idle' | 'starting' | 'pending' | 'approved' | 'failed'

export interface UseDeviceLoginResult {
  /** Asks the server for a code (`client.deviceLogin(options)`); a running one is cancelled. */
  start(options?: DeviceLoginOptions): Promise<void>
  /** Stops waiting (or starting): `status` becomes `'failed'` with an `aborted` error. */
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

const aborted = () => new DeviceLoginError('aborted', 'The device login was cancelled.')

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
  // Bumped by start, cancel and unmount: a code that arrives for an older run is cancelled unseen.
  const run = useRef(0)

  useEffect(
    () => () => {
      run.current++
      current.current?.cancel()
    },
    [client],
  )

  const start = useCallback(
    async (options?: DeviceLoginOptions) => {
      const mine = ++run.current
      current.current?.cancel()
      current.current = undefined
      setShown({ ...IDLE, status: 'starting' })
      let d: DeviceLogin
      try {
        d = await client.deviceLogin(options)
      } catch (error) {
        if (run.current === mine) setShown({ ...IDLE, status: 'failed', error: error as AuthError })
        return
      }
      if (run.current !== mine) return d.cancel()
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
  const cancel = useCallback(() => {
    run.current++
    if (current.current) return current.current.cancel()
    // Still asking for a code: that code is cancelled when it arrives.
    setShown((s) => (s.status === 'starting' ? { ...IDLE, status: 'failed', error: aborted() } : s))
  }, [])
  return { ...shown, start, cancel }
}
