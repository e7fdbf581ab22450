/**
 * A same-origin path to come back to after login, or `/`. Refuses absolute URLs, `//host`,
 * `/\host`, `javascript:` and anything that resolves to another origin (no open redirect).
 */
export function safeReturnTo(value, origin) {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return '/'
  try {
    const url = new URL(value, origin)
    // Checked after normalisation too: `/.//evil.com` becomes `//evil.com`.
    return url.origin === origin && !/^\/[/\\]/.test(url.pathname)
      ? url.pathname + url.search + url.hash
      : '/'
  } catch {
    return '/'
  }
}
//# sourceMappingURL=return-to.js.map
