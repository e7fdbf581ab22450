/**
 * Demo accounts: any login id is a valid user whose subject is the login id itself.
 */

/** @param {string} word */
const capitalize = (word) => word.charAt(0).toUpperCase() + word.slice(1)

/**
 * Claims of the demo user with the given login ("alice" → "Alice Example", alice@example.com).
 *
 * @param {string} login
 */
export function claimsForLogin(login) {
  const local = login.includes('@') ? login.slice(0, login.indexOf('@')) : login
  const givenName = capitalize(local.split(/[._\s-]+/).filter(Boolean)[0] ?? local) || 'User'
  return {
    sub: login,
    name: `${givenName} Example`,
    given_name: givenName,
    family_name: 'Example',
    preferred_username: login,
    email: login.includes('@') ? login : `${login}@example.com`,
    email_verified: true,
  }
}

/**
 * oidc-provider `findAccount`.
 *
 * @param {unknown} _ctx
 * @param {string} id
 */
export async function findAccount(_ctx, id) {
  if (typeof id !== 'string' || !id) return undefined
  return {
    accountId: id,
    async claims() {
      return claimsForLogin(id)
    },
  }
}
