import http from 'node:http'

/** Loopback addresses every server binds to ('localhost' may resolve to either). */
const IPV4_LOOPBACK = '127.0.0.1'
const IPV6_LOOPBACK = '::1'

/**
 * @typedef {(req: http.IncomingMessage, res: http.ServerResponse) => void} Handler
 * @typedef {{ port: number, close: () => Promise<void> }} Listening
 */

/**
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listenOn(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {Error} */ err) => reject(err)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/**
 * @param {http.Server} server
 * @returns {Promise<void>}
 */
function closeServer(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/**
 * Starts an HTTP server on the IPv4 loopback address and, when the machine has IPv6, on the IPv6
 * loopback address with the same port, so that `http://localhost:<port>` works whichever address
 * `localhost` resolves to. Never binds a non-loopback interface.
 *
 * @param {Handler} handler
 * @param {number} port 0 picks a free port
 * @returns {Promise<Listening>}
 */
export async function listenLoopback(handler, port) {
  for (let attempt = 0; ; attempt++) {
    const v4 = http.createServer(handler)
    await listenOn(v4, port, IPV4_LOOPBACK)
    const address = v4.address()
    const actualPort = typeof address === 'object' && address ? address.port : port
    const servers = [v4]
    const v6 = http.createServer(handler)
    try {
      await listenOn(v6, actualPort, IPV6_LOOPBACK)
      servers.push(v6)
    } catch (err) {
      const code = /** @type {NodeJS.ErrnoException} */ (err).code
      if (code === 'EADDRINUSE' && port === 0 && attempt < 5) {
        // another process holds ::1:<port>; it would receive requests for localhost: pick again
        await closeServer(v4)
        continue
      }
      if (code === 'EADDRINUSE') {
        await closeServer(v4)
        throw err
      }
      // no IPv6 on this machine (EADDRNOTAVAIL / EAFNOSUPPORT): IPv4 alone is fine
    }
    for (const server of servers) server.keepAliveTimeout = 5_000
    return {
      port: actualPort,
      close: async () => {
        await Promise.all(servers.map(closeServer))
      },
    }
  }
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  const payload = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
  })
  res.end(payload)
}

/**
 * Reads a request body (max 64 KiB) as text.
 *
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
export async function readText(req) {
  const limit = 64 * 1024
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > limit) throw new Error('request body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The origin (`http://host:port`) of a server listening on loopback.
 *
 * @param {number} port
 */
export function localOrigin(port) {
  return `http://localhost:${port}`
}

/** A port that is free on the loopback addresses right now (small race until it is used). */
export async function freePort() {
  const probe = await listenLoopback(() => {}, 0)
  await probe.close()
  return probe.port
}
