// Size budget: what a typical app ships of @oauth-spa/core (oauth4webapi and idb-keyval
// included), minified and gzipped, built from the package's dist like an app's bundler would.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const core = fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url))
// Raised from 16 / 17.75 KB, then from 19.65 / 21.2 KB: see the comment on the first budget.
const TYPICAL_KB = 19.8
const DPOP_KB = 21.5
const budgets = [
  {
    name: 'typical app (login, callback, getAccessToken, fetch, logout)',
    // The target is 12 KB; we are not there (see the README's "Size" section). This budget holds
    // today's figure so that it can only go down. It rose once, from 16 to 17.9 KB, for the session
    // owner (issue 7: compare-and-set writes, one failure decision with backoff for every caller,
    // logout that clears first, option checks, endpoint scheme checks, the server's clock offset),
    // then for issues 8, 9, 10 and 12: the default scope narrowed to the server's scopes_supported,
    // the `metadata` option, `invalid_scope` naming the scopes asked for, the provider hooks' call
    // sites (adapters' code is only in apps using them), server rendering, the token observer's
    // and idle timeout's hooks (their code loads on demand), response bodies capped at 1 MiB;
    // device login, PAR and the COOP-proof popup load on demand too, but oauth4webapi is one
    // module, so the bundler keeps its device and PAR functions (≈0.33 KB) in the shared chunk.
    // Then by 0.15 KB for the review of issues 7-12: the calls that load the development warnings
    // (issue 11; the warnings themselves load on demand), invalid_target for another API and
    // Retry-After dates (issue 7), Entra's callback issuer and the device request's parameters
    // (issue 8); silent renewal moved into its chunk to pay for part of it.
    limit: TYPICAL_KB * 1024,
    code: `import { createAuthClient } from ${JSON.stringify(core)}
const auth = createAuthClient({ issuer: 'https://as.example', clientId: 'app', redirectUri: location.origin + '/callback', allowedOrigins: ['https://api.example'] })
auth.subscribe(() => console.log(auth.getState().status))
if (auth.isCallback()) auth.handleRedirectCallback()
document.onclick = () => auth.login()
auth.getAccessToken().then(() => auth.fetch('https://api.example/x')).then(() => auth.logout())`,
  },
  {
    name: 'app with DPoP',
    limit: DPOP_KB * 1024,
    code: `import { createAuthClient, dpop } from ${JSON.stringify(core)}
const auth = createAuthClient({ issuer: 'https://as.example', clientId: 'app', redirectUri: location.origin + '/callback', allowedOrigins: ['https://api.example'], dpop })
auth.subscribe(() => console.log(auth.getState().status))
if (auth.isCallback()) auth.handleRedirectCallback()
document.onclick = () => auth.login()
auth.getAccessToken().then(() => auth.fetch('https://api.example/x')).then(() => auth.logout())`,
  },
]
const lazyBudget = { name: 'opt-in chunk', limit: 3 * 1024 }

let failed = false
for (const b of budgets) {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-spa-size-'))
  writeFileSync(join(dir, 'entry.js'), b.code)
  const { metafile } = await build({
    metafile: true,
    entryPoints: [join(dir, 'entry.js')],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    outdir: join(dir, 'out'),
    absWorkingDir: dir,
    // What an app's production build sets (it turns the development warnings off).
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  // What loads at start: the entry and every chunk it imports statically, gzipped together.
  const outputs = metafile.outputs
  const eager = new Set()
  const visit = (file) => {
    if (eager.has(file)) return
    eager.add(file)
    for (const i of outputs[file].imports) if (i.kind === 'import-statement') visit(i.path)
  }
  // Chunks loaded by import() are entry points too: the app's own is entry.js.
  const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint?.endsWith('entry.js'))
  visit(entry)
  const gz = (files) =>
    gzipSync(Buffer.concat(files.map((f) => readFileSync(join(dir, f)))), { level: 9 }).length
  const report = (name, size, limit) => {
    const ok = size <= limit
    failed ||= !ok
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${name}: ${(size / 1024).toFixed(2)} KB min+gzip (budget ${(limit / 1024).toFixed(1)} KB)`,
    )
  }
  // Everything a typical app loads over a whole session: the eager code plus the chunks that
  // login, the callback and logout load on demand. Opt-in features (DPoP, silent renewal,
  // UserInfo, the lease for browsers without Web Locks, the development warnings) are reported on
  // their own.
  const optIn = /^(dpop|silent|userinfo|lease|watch|idle|device|par|popup|dev)-/
  const all = Object.keys(outputs).filter((f) => f.endsWith('.js'))
  const typical = all.filter((f) => !optIn.test(f.split('/').pop()))
  report(`${b.name}, everything it loads`, gz(typical), b.limit)
  console.log(`     of which at start-up: ${(gz([...eager]) / 1024).toFixed(2)} KB`)
  for (const f of all.filter((f) => optIn.test(f.split('/').pop()))) {
    report(`${lazyBudget.name}: ${f.split('/').pop()}`, gz([f]), lazyBudget.limit)
  }
}
process.exit(failed ? 1 : 0)
