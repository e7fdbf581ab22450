import { useEffect } from 'react'
import { Link, useNavigate } from 'react-router'
import { useAuthCallback } from '@oauth-spa/react'

/** The redirect URI's route: completes the login, then goes where the login started. */
export function Callback() {
  const navigate = useNavigate()
  const { isCallback, error } = useAuthCallback({
    onSuccess: (returnTo) => navigate(returnTo, { replace: true }),
  })

  // `undefined` until the URL was read: only a page known to carry no response goes home.
  useEffect(() => {
    if (isCallback === false) navigate('/', { replace: true })
  }, [isCallback, navigate])

  if (error) {
    return (
      <p>
        The login could not be completed. <Link to="/">Back to the app</Link>
      </p>
    )
  }
  return <p>Signing you in…</p>
}
