import { parseAuthorization } from './api-auth.mjs'

/**
 * @typedef {{ method: string, path: string, authorization: string | false, dpop: boolean,
 *   status: number }} LoggedRequest `authorization`: the scheme sent, or false; never the token
 */

/**
 * The last N requests of the API server, for tests. Each entry is completed with the status code
 * when its response is finished.
 */
export class RequestLog {
  /** @type {LoggedRequest[]} */
  #entries = []
  #max

  /** @param {number} max */
  constructor(max) {
    this.#max = max
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path
   */
  record(req, res, path) {
    const header = req.headers.authorization
    /** @type {LoggedRequest} */
    const entry = {
      method: req.method ?? 'GET',
      path,
      authorization: header ? (parseAuthorization(header).scheme ?? 'unknown') : false,
      dpop: req.headers.dpop !== undefined,
      status: 0,
    }
    this.#entries.push(entry)
    if (this.#entries.length > this.#max) this.#entries.shift()
    res.on('finish', () => {
      entry.status = res.statusCode
    })
    res.on('close', () => {
      if (!entry.status) entry.status = res.statusCode
    })
  }

  entries() {
    return this.#entries.map((e) => ({ ...e }))
  }

  clear() {
    this.#entries.length = 0
  }
}
