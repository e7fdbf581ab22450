import { useEffect } from 'react'
import { useAuthCallback } from '@oauth-spa/react'

/** The redirect URI's route: completes the login, then goes where the login started. */
export function Callback({ navigate }: { navigate: (to: string) => void }) {
  const { isCallback, error } = useAuthCallback({ onSuccess: navigate })

  useEffect(() => {
    if (!isCallback) navigate('/')
  }, [isCallback, navigate])

  if (error) {
    return (
      <p>
        The login could not be completed.{' '}
        <a
          href="/"
          onClick={(e) => {
            e.preventDefault()
            navigate('/')
          }}
        >
          Back to the app
        </a>
      </p>
    )
  }
  return <p>Signing you in…</p>
}
