import { ConfigurationError } from './errors.js'
export const isLoopback = (url) =>
  url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
/** https everywhere, http only for loopback (development). */
export function checkSecureUrl(value, name) {
  let url
  try {
    url = new URL(value)
  } catch {
    // reported below
  }
  if (url?.protocol !== 'https:' && !(url?.protocol === 'http:' && isLoopback(url))) {
    throw new ConfigurationError(
      `${name} must be an https URL (http only on localhost): "${value}".`,
    )
  }
  return url
}
/** What each option takes: a wrong option fails at creation, naming it, not at login. */
const KINDS = [
  [
    'issuer clientId redirectUri scope resource audience postLogoutRedirectUri silentRedirectUri'.split(
      ' ',
    ),
    'a string',
    (v) => typeof v === 'string',
  ],
  [
    'leeway timeout clockTolerance discoveryTtl popupTimeout'.split(' '),
    'a number ≥ 0',
    (v) => typeof v === 'number' && v >= 0 && v < Infinity,
  ],
  ['autoRefresh fetchUserInfo par'.split(' '), 'true or false', (v) => typeof v === 'boolean'],
  [
    'dpop now fetch setTimeout clearTimeout navigate'.split(' '),
    "a function (DPoP: import { dpop } from '@oauth-spa/core')",
    (v) => typeof v === 'function',
  ],
  [
    ['extraParams', 'extraTokenParams'],
    'an object of strings',
    (v) => !!v && Object.values(v).every((x) => typeof x === 'string'),
  ],
  [
    ['storage'],
    "'indexeddb', 'memory' or a TokenStore (get, set, del, keys, update)",
    (v) =>
      v === 'indexeddb' ||
      v === 'memory' ||
      ['get', 'set', 'del', 'keys', 'update'].every((m) => typeof v?.[m] === 'function'),
  ],
  [
    ['allowedOrigins'],
    "an array: ['https://api.example.com', { url, resource?, scope? }]",
    Array.isArray,
  ],
]
export function resolveConfig(options) {
  if (!options || typeof options !== 'object')
    throw new ConfigurationError(
      'createAuthClient needs an options object: { issuer, clientId, redirectUri }.',
    )
  if ('clientSecret' in options) {
    throw new ConfigurationError(
      'No clientSecret in a browser: register a public client (token_endpoint_auth_method "none"); PKCE protects it.',
    )
  }
  // `{ scope: undefined }` (props passed through by a wrapper) keeps the default.
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
  for (const name of ['issuer', 'clientId', 'redirectUri'])
    if (!given[name]) throw new ConfigurationError(`createAuthClient needs \`${name}\`.`)
  for (const [names, what, ok] of KINDS)
    for (const name of names)
      if (name in given && !ok(given[name]))
        throw new ConfigurationError(`Option \`${name}\` must be ${what}.`)
  const { issuer, redirectUri } = given
  const insecure = checkSecureUrl(issuer, 'issuer').protocol === 'http:'
  checkSecureUrl(redirectUri, 'redirectUri')
  for (const name of ['postLogoutRedirectUri', 'silentRedirectUri'])
    if (given[name]) checkSecureUrl(given[name], name)
  for (const o of given.allowedOrigins ?? [])
    checkSecureUrl(typeof o === 'string' ? o : o?.url, 'allowedOrigins')
  return {
    scope: 'openid profile email offline_access',
    leeway: 60,
    autoRefresh: true,
    fetchUserInfo: false,
    timeout: 10_000,
    clockTolerance: 300,
    discoveryTtl: 3600,
    now: Date.now,
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (id) => globalThis.clearTimeout(id),
    navigate: (url) => location.assign(url),
    extraParams: {},
    extraTokenParams: {},
    ...given,
    ns: `${issuer}|${given.clientId}`,
    insecure,
  }
}
//# sourceMappingURL=config.js.map
