/**
 * The authorization server's logout pages (replacing oidc-provider's defaults, which load a web
 * font and log a notice). The confirmation button keeps the `name="logout" value="yes"` contract
 * that the e2e tests click.
 */

/** @param {string} value */
const escapeHtml = (value) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** @param {string} title @param {string} body */
const page = (title, body) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
button{display:block;width:100%;margin:.5rem 0;padding:.6rem;font-size:1rem}
</style>
</head>
<body>
${body}
</body>
</html>`

/**
 * @param {{ host: string, body: unknown, type: string }} ctx koa context
 * @param {string} form oidc-provider's hidden logout form (id="op.logoutForm")
 */
export async function logoutSource(ctx, form) {
  ctx.type = 'html'
  ctx.body = page(
    'Sign out',
    `<h1>Sign out of ${escapeHtml(ctx.host)}?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  )
}

/** @param {{ body: unknown, type: string }} ctx koa context */
export async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html'
  ctx.body = page('Signed out', '<h1>You are signed out.</h1>')
}

/**
 * Error page for errors that cannot be redirected to the client (e.g. an unregistered
 * redirect_uri).
 *
 * @param {{ body: unknown, type: string }} ctx koa context
 * @param {Record<string, string>} out `error`, `error_description`, `state`...
 */
export async function renderError(ctx, out) {
  ctx.type = 'html'
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(String(value))}</dd>`)
    .join('\n')
  ctx.body = page('Authorization error', `<h1>Authorization error</h1>\n<dl>\n${rows}\n</dl>`)
}
