/**
 * Minimal CORS for the node:http servers: only the configured app origins get CORS headers; any
 * other origin gets none, so the browser blocks the response.
 *
 * @typedef {object} CorsPolicy
 * @property {Iterable<string>} origins allowed origins, exact match
 * @property {string[]} methods
 * @property {string[]} allowHeaders request headers a preflight may allow
 * @property {string[]} [exposeHeaders]
 * @property {number} [maxAge] seconds
 */

/**
 * Applies CORS response headers. Returns true when the request was a preflight and has been
 * answered (the caller must not respond again).
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {CorsPolicy} policy
 * @returns {boolean}
 */
export function applyCors(req, res, policy) {
  res.setHeader('Vary', 'Origin')
  const origin = req.headers.origin
  const allowed = typeof origin === 'string' && new Set(policy.origins).has(origin)
  const isPreflight =
    req.method === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string'

  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    if (policy.exposeHeaders?.length) {
      res.setHeader('Access-Control-Expose-Headers', policy.exposeHeaders.join(', '))
    }
  }
  if (!isPreflight) return false

  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', policy.methods.join(', '))
    res.setHeader('Access-Control-Allow-Headers', policy.allowHeaders.join(', '))
    res.setHeader('Access-Control-Max-Age', String(policy.maxAge ?? 600))
  }
  res.writeHead(204)
  res.end()
  return true
}
