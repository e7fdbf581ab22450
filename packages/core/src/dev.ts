// Warnings for the developer, in development builds only; loaded on demand, when there is
// something to say. Bundlers replace `process.env.NODE_ENV` when they build, so a production
// build never warns; without a bundler there is no `process`, and no warning either.
declare const process: { env: { NODE_ENV?: string } }

const warned = new Set<string>()

/** `console.warn` once per `key` in a development build. Never pass a token or a code here. */
function warnOnce(key: string, message: string): void {
  let dev: boolean
  try {
    dev = process.env.NODE_ENV !== 'production'
  } catch {
    // No `process`: Vite serving source in development, or no bundler at all.
    dev = !!(import.meta as { env?: { DEV?: boolean } }).env?.DEV
  }
  if (!dev || warned.has(key)) return
  warned.add(key)
  console.warn(`[oauth-spa] ${message}`)
}

export const notAllowed = (origin: string): void =>
  warnOnce(
    `fetch ${origin}`,
    `auth.fetch sent a request to ${origin} without a token: that origin is not in allowedOrigins. Add it there if it should get the token.`,
  )

export const unhandledCallback = (ns: string, path: string): void =>
  warnOnce(
    `callback ${ns}`,
    `This page holds a login response (code and state in its URL) that nothing handled: call auth.handleRedirectCallback() on ${path}.`,
  )
