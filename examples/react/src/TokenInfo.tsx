import { useAccessToken } from '@oauth-spa/react'

/** Whether there is an access token, and its length: never the token itself. */
export function TokenInfo() {
  const { token, status } = useAccessToken()
  let text = 'none'
  if (token) text = `present (${token.length} characters)`
  else if (status === 'loading') text = 'loading'
  return (
    <p>
      Access token: <span id="token-info">{text}</span>
    </p>
  )
}
