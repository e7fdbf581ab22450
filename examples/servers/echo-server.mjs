import { applyCors } from './cors.mjs'
import { listenLoopback, localOrigin, sendJson } from './http-util.mjs'

/**
 * @typedef {object} EchoServerOptions
 * @property {number} [port] default 9002; 0 picks a free port
 * @property {string[]} [appOrigins] default ['http://localhost:5173']
 *
 * @typedef {{ method: string, path: string, headers: string[], authorization: boolean,
 *   dpop: boolean }} EchoedRequest `headers`: lower-cased header names only, never values
 * @typedef {{ url: string, port: number, close: () => Promise<void> }} EchoServer
 */

/**
 * A third-party origin the SDK must never send tokens to. Its CORS policy allows the
 * `Authorization` and `DPoP` request headers, so that a leaked token would really arrive here and
 * be recorded. The request log (`/__test/requests`, `/__test/reset`) is always on: this server
 * exists for tests.
 *
 * @param {EchoServerOptions} [opts]
 * @returns {Promise<EchoServer>}
 */
export async function startEchoServer(opts = {}) {
  const appOrigins = opts.appOrigins ?? ['http://localhost:5173']
  /** @type {EchoedRequest[]} */
  const requests = []

  const listening = await listenLoopback((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const preflight = applyCors(req, res, {
      origins: appOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowHeaders: ['Authorization', 'DPoP', 'Content-Type'],
    })
    if (preflight) return

    if (url.pathname === '/__test/requests' && req.method === 'GET') {
      sendJson(res, 200, requests)
      return
    }
    if (url.pathname === '/__test/reset' && req.method === 'POST') {
      requests.length = 0
      sendJson(res, 200, requests)
      return
    }

    const receivedAuthorization = req.headers.authorization !== undefined
    const receivedDpop = req.headers.dpop !== undefined
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: Object.keys(req.headers).sort(),
      authorization: receivedAuthorization,
      dpop: receivedDpop,
    })
    if (requests.length > 200) requests.shift()
    req.resume()

    if (url.pathname === '/public/data') {
      sendJson(res, 200, { receivedAuthorization, receivedDpop })
    } else if (url.pathname === '/redirect-to' && req.method === 'GET') {
      const target = URL.parse(url.searchParams.get('url') ?? '')
      if (!target || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
        sendJson(res, 400, {
          error: 'invalid_request',
          message: 'url must be an absolute http(s) URL',
        })
        return
      }
      res.writeHead(302, {
        Location: target.href,
        'Content-Length': 0,
        'Cache-Control': 'no-store',
      })
      res.end()
    } else {
      sendJson(res, 404, { error: 'not_found' })
    }
  }, opts.port ?? 9002)

  return { url: localOrigin(listening.port), port: listening.port, close: listening.close }
}
