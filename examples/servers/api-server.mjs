import { randomUUID } from 'node:crypto'

import { createAccessTokenVerifier } from './access-token-verifier.mjs'
import { challenges, createRequestAuthenticator, parseAuthorization } from './api-auth.mjs'
import { applyCors } from './cors.mjs'
import { DpopNonces } from './dpop-nonces.mjs'
import { createDpopPolicy } from './dpop-verifier.mjs'
import { listenLoopback, localOrigin, readText, sendJson } from './http-util.mjs'
import { RequestLog } from './request-log.mjs'

/**
 * @typedef {object} ApiServerOptions
 * @property {string} issuer the authorization server's issuer URL
 * @property {number} [port] default 9001; 0 picks a free port
 * @property {string} [audience] expected `aud`, default this server's origin `http://localhost:<port>`
 * @property {string[]} [appOrigins] default ['http://localhost:5173']
 * @property {boolean} [requireDpopNonce] require server-provided nonces in DPoP proofs
 * @property {boolean} [testHooks] serve /__test/requests and /__test/reset
 * @property {number} [nonceRotateMs] DPoP nonce rotation period, default 60 000
 * @property {number} [clockToleranceSeconds] for `exp`/`nbf`/`iat` of access tokens, default 5
 *
 * @typedef {{ url: string, port: number, close: () => Promise<void> }} ApiServer
 */

/**
 * The demo's protected API: accepts JWT access tokens issued by `issuer` for its own URL, as
 * Bearer or DPoP-bound tokens.
 *
 * @param {ApiServerOptions} opts
 * @returns {Promise<ApiServer>}
 */
export async function startApiServer(opts) {
  if (!opts?.issuer) throw new TypeError('startApiServer: issuer is required')
  const appOrigins = opts.appOrigins ?? ['http://localhost:5173']
  const nonces = opts.requireDpopNonce
    ? new DpopNonces({ rotateAfterMs: opts.nonceRotateMs })
    : undefined
  const log = new RequestLog(50)
  /** @type {ReturnType<typeof createRequestAuthenticator> | undefined} */
  let authenticate

  const listening = await listenLoopback((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', message: String(err) })
      else res.destroy()
    })
  }, opts.port ?? 9001)
  const url = localOrigin(listening.port)
  authenticate = createRequestAuthenticator({
    verifyRequest: createAccessTokenVerifier({
      issuer: opts.issuer,
      audience: opts.audience ?? url,
      clockToleranceSeconds: opts.clockToleranceSeconds,
    }),
    checkDpopProof: createDpopPolicy({ nonces }),
    nonces,
  })

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (opts.testHooks && path.startsWith('/__test/')) {
      handleTestHook(req, res, path)
      return
    }
    if (!path.startsWith('/__test/')) log.record(req, res, path)

    const preflight = applyCors(req, res, {
      origins: appOrigins,
      methods: ['GET', 'POST'],
      allowHeaders: ['Authorization', 'DPoP', 'Content-Type'],
      exposeHeaders: ['WWW-Authenticate', 'DPoP-Nonce', 'Retry-After'],
    })
    if (preflight) return

    /** @type {{ scope: string, run: (claims: import('oauth4webapi').JWTAccessTokenClaims, scheme: string) => Promise<void> } | undefined} */
    let route
    if (req.method === 'GET' && path === '/api/user-profile') {
      route = {
        scope: 'read',
        run: async (claims, scheme) => {
          sendJson(res, 200, {
            sub: claims.sub,
            scope: claims.scope,
            tokenType: scheme,
            clientId: claims.client_id,
            message: `Hello ${claims.sub}, this response came from the protected API`,
          })
        },
      }
    } else if (req.method === 'POST' && path === '/api/notes') {
      route = {
        scope: 'write',
        run: async (claims) => {
          let text
          try {
            text = JSON.parse(await readText(req)).text
          } catch {
            text = undefined
          }
          if (typeof text !== 'string' || !text) {
            sendJson(res, 400, {
              error: 'invalid_request',
              message: 'body must be JSON {"text": "..."}',
            })
            return
          }
          sendJson(res, 201, { id: randomUUID(), text, sub: claims.sub })
        },
      }
    }
    if (!route) {
      sendJson(res, 404, { error: 'not_found', message: `no route for ${req.method} ${path}` })
      return
    }

    const result = await /** @type {NonNullable<typeof authenticate>} */ (authenticate)({
      method: req.method ?? 'GET',
      url: `http://${req.headers.host ?? `localhost:${listening.port}`}${req.url ?? '/'}`,
      authorization: req.headers.authorization,
      dpop: req.headers.dpop,
      requiredScope: route.scope,
    })
    if (result.value.dpopNonce) res.setHeader('DPoP-Nonce', result.value.dpopNonce)
    if (!result.ok) {
      const failure = result.value
      res.setHeader('WWW-Authenticate', challenges(failure))
      sendJson(res, failure.status, {
        error: failure.error ?? 'unauthorized',
        error_description: failure.description ?? 'an access token is required',
      })
      return
    }
    await route.run(result.value.claims, result.value.scheme)
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path
   */
  function handleTestHook(req, res, path) {
    const policy = { origins: appOrigins, methods: ['GET', 'POST'], allowHeaders: ['Content-Type'] }
    if (applyCors(req, res, policy)) return
    if (req.method === 'GET' && path === '/__test/requests') {
      sendJson(res, 200, log.entries())
    } else if (req.method === 'POST' && path === '/__test/reset') {
      log.clear()
      sendJson(res, 200, [])
    } else {
      sendJson(res, 404, { error: 'not_found' })
    }
  }

  return { url, port: listening.port, close: listening.close }
}

export { parseAuthorization }
