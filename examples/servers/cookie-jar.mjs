/**
 * A minimal cookie jar for driving the authorization server's HTML interactions with fetch
 * (tests only): honours Path, Max-Age and Expires; one host.
 */
export class CookieJar {
  /** @type {Map<string, { name: string, value: string, path: string, expires: number }>} */
  #cookies = new Map()
  /** Every Set-Cookie header received, in order (to inspect attributes). @type {string[]} */
  setCookieHeaders = []

  /**
   * @param {string | URL} url the URL that answered
   * @param {string[]} setCookieHeaders from `response.headers.getSetCookie()`
   */
  store(url, setCookieHeaders) {
    const requestPath = new URL(url).pathname
    this.setCookieHeaders.push(...setCookieHeaders)
    for (const header of setCookieHeaders) {
      const [pair, ...attributes] = header.split(';').map((s) => s.trim())
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      let path = requestPath.slice(0, requestPath.lastIndexOf('/')) || '/'
      let expires = Infinity
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.split('=')
        const attrValue = rest.join('=')
        switch (key.toLowerCase()) {
          case 'path':
            path = attrValue || '/'
            break
          case 'max-age':
            expires = Date.now() + Number(attrValue) * 1000
            break
          case 'expires':
            if (expires === Infinity) expires = Date.parse(attrValue)
            break
        }
      }
      const key = `${name};${path}`
      if (expires <= Date.now()) this.#cookies.delete(key)
      else this.#cookies.set(key, { name, value, path, expires })
    }
  }

  /**
   * The Cookie header for a request to `url` (undefined when no cookie applies).
   *
   * @param {string | URL} url
   */
  header(url) {
    const path = new URL(url).pathname
    const now = Date.now()
    const matching = [...this.#cookies.values()]
      .filter((c) => c.expires > now)
      .filter(
        (c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .sort((a, b) => b.path.length - a.path.length)
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined
  }

  /** Cookie names currently held. */
  names() {
    return [...new Set([...this.#cookies.values()].map((c) => c.name))]
  }
}
