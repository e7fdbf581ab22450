// `npm test` / `npm run demo` (and `pnpm test` / `pnpm demo`) on a machine with only Node and npm:
// makes sure the pinned pnpm, the locked dependencies and (for the tests) a Chromium are there,
// then runs the real work. Node builtins only: nothing else is installed yet when this runs.
//
//   node scripts/bootstrap.mjs test [args]   bootstrap, then `pnpm run test:all [args]`
//   node scripts/bootstrap.mjs demo [args]   bootstrap, then `node scripts/demo.mjs [args]`
//   node scripts/bootstrap.mjs setup         only install what the tests need, and say what was used
//
// Environment: CHROMIUM_PATH (a Chromium to use instead of /usr/bin/chromium),
// BOOTSTRAP_NO_APT=1 (never use apt-get; go straight to Playwright's installer).
import { spawnSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { constants as osConstants, tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PNPM_VERSION = '12.21.0'
const MIN_NODE = [20, 19]
const root = fileURLToPath(new URL('..', import.meta.url))
const stampFile = join(root, 'node_modules', '.oauth-spa-lockfile-stamp')

const [task, ...args] = process.argv.slice(2)
if (task !== 'test' && task !== 'demo' && task !== 'setup') {
  console.error('usage: node scripts/bootstrap.mjs <test|demo|setup> [args...]')
  process.exit(2)
}

const say = (msg) => console.log(`bootstrap: ${msg}`)
const fail = (msg) => {
  console.error(`bootstrap: ${msg}`)
  process.exit(1)
}

/** Runs a command to completion with inherited output; returns its exit status. */
function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...opts })
  return r.error ? 127 : (r.status ?? 1)
}

/** Runs a command quietly; returns trimmed stdout, or undefined if it failed. */
function capture(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8', cwd: root, ...opts })
  return r.error || r.status !== 0 ? undefined : r.stdout.trim()
}

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

// --- Node -----------------------------------------------------------------------------------
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
  fail(`Node.js ${MIN_NODE.join('.')} or newer is needed; this is ${process.versions.node}.`)
}

// --- pnpm -----------------------------------------------------------------------------------
// The environment every later command runs in: PATH may gain the directory of a pnpm installed here.
const env = { ...process.env }

/** The pnpm version `pnpm` resolves to under `env`, or undefined. */
const pnpmVersion = () => capture('pnpm', ['--version'], { env })

function ensurePnpm() {
  const found = pnpmVersion()
  if (found === PNPM_VERSION) return
  if (found) {
    // Someone's own pnpm: leave it alone and run the pinned one through npx for this repo.
    say(`pnpm ${found} is on PATH; this repo pins ${PNPM_VERSION}: using it through npx.`)
    useNpxShim()
    return
  }
  say(`pnpm not found: npm install -g pnpm@${PNPM_VERSION}`)
  if (run('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`], { env }) === 0) {
    // The global bin directory may not be on PATH (a user prefix): put it first.
    const prefix = capture('npm', ['prefix', '-g'], { env })
    if (prefix) {
      const bin = process.platform === 'win32' ? prefix : join(prefix, 'bin')
      env.PATH = `${bin}${delimiter}${env.PATH ?? ''}`
    }
    if (pnpmVersion() === PNPM_VERSION) return
    say('the global install did not give a working pnpm on PATH; falling back to npx.')
  } else {
    say('a global install is not possible here; falling back to npx.')
  }
  useNpxShim()
}

/** A `pnpm` on PATH that runs `npx -y pnpm@PNPM_VERSION`, so that nested `pnpm x` calls work too. */
function useNpxShim() {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-spa-pnpm-'))
  if (process.platform === 'win32') {
    writeFileSync(join(dir, 'pnpm.cmd'), `@npx -y pnpm@${PNPM_VERSION} %*\r\n`)
  } else {
    writeFileSync(join(dir, 'pnpm'), `#!/bin/sh\nexec npx -y pnpm@${PNPM_VERSION} "$@"\n`, {
      mode: 0o755,
    })
  }
  env.PATH = `${dir}${delimiter}${env.PATH ?? ''}`
  const v = pnpmVersion()
  if (v !== PNPM_VERSION) {
    fail(
      `could not run pnpm ${PNPM_VERSION} (npm install -g and npx both failed${v ? `; got ${v}` : ''}). Install it yourself: npm install -g pnpm@${PNPM_VERSION}`,
    )
  }
}

// --- dependencies ---------------------------------------------------------------------------
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Installed from this very lockfile? Our stamp, or pnpm's own copy of the lockfile it installed. */
function dependenciesCurrent(lockHash) {
  if (!existsSync(join(root, 'node_modules'))) return false
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === lockHash) return true
  const pnpmCopy = join(root, 'node_modules', '.pnpm', 'lock.yaml')
  return existsSync(pnpmCopy) && sha256(pnpmCopy) === lockHash
}

function ensureDependencies() {
  const lockHash = sha256(join(root, 'pnpm-lock.yaml'))
  if (dependenciesCurrent(lockHash)) return
  say(
    existsSync(join(root, 'node_modules'))
      ? 'pnpm-lock.yaml changed since the last install: pnpm install --frozen-lockfile'
      : 'no node_modules: pnpm install --frozen-lockfile',
  )
  if (run('pnpm', ['install', '--frozen-lockfile'], { env }) !== 0) {
    fail('pnpm install --frozen-lockfile failed (see above).')
  }
  writeFileSync(stampFile, `${lockHash}\n`)
}

// --- Chromium (tests only) ------------------------------------------------------------------
// Overridable only to exercise the fallbacks on a machine that has it.
const SYSTEM_CHROMIUM = process.env.BOOTSTRAP_SYSTEM_CHROMIUM ?? '/usr/bin/chromium'

function ensureChromium() {
  if (env.CHROMIUM_PATH) {
    if (!isExecutable(env.CHROMIUM_PATH)) {
      fail(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.`)
    }
    return
  }
  if (isExecutable(SYSTEM_CHROMIUM)) {
    env.CHROMIUM_PATH = SYSTEM_CHROMIUM
    return
  }
  if (env.BOOTSTRAP_NO_APT !== '1' && aptInstallChromium() && isExecutable(SYSTEM_CHROMIUM)) {
    env.CHROMIUM_PATH = SYSTEM_CHROMIUM
    return
  }
  say("installing Playwright's own Chromium: pnpm exec playwright install chromium")
  if (run('pnpm', ['exec', 'playwright', 'install', 'chromium'], { env }) !== 0) {
    fail(
      'no Chromium: install one (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.',
    )
  }
  const path = capture(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { chromium } from '@playwright/test'; console.log(chromium.executablePath())",
    ],
    { env },
  )
  if (!path || !isExecutable(path)) fail('Playwright installed Chromium but its path is unknown.')
  env.CHROMIUM_PATH = path
}

/** Debian's Chromium through apt-get, as root or through passwordless sudo. */
function aptInstallChromium() {
  if (!capture('sh', ['-c', 'command -v apt-get'])) return false
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const sudo = isRoot ? [] : capture('sudo', ['-n', 'true']) !== undefined ? ['sudo', '-n'] : null
  if (!sudo) {
    say('apt-get is here but neither root nor passwordless sudo: skipping apt.')
    return false
  }
  say('no Chromium: apt-get update && apt-get install -y chromium')
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' }
  const apt = (aptArgs) =>
    sudo.length
      ? run(
          sudo[0],
          [...sudo.slice(1), 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...aptArgs],
          {
            env: aptEnv,
          },
        )
      : run('apt-get', aptArgs, { env: aptEnv })
  if (apt(['update']) !== 0 || apt(['install', '-y', 'chromium']) !== 0) {
    say('apt-get could not install chromium.')
    return false
  }
  return true
}

// --- the real work --------------------------------------------------------------------------
ensurePnpm()
ensureDependencies()
if (task !== 'demo') ensureChromium()
if (task === 'setup') {
  say(
    `ready: pnpm ${pnpmVersion()}, dependencies from pnpm-lock.yaml, Chromium ${env.CHROMIUM_PATH}`,
  )
  process.exit(0)
}

const [cmd, cmdArgs] =
  task === 'test'
    ? ['pnpm', ['run', 'test:all', ...args]]
    : [process.execPath, [join(root, 'scripts', 'demo.mjs'), ...args]]
const child = spawn(cmd, cmdArgs, { stdio: 'inherit', cwd: root, env })
// Ctrl+C reaches the child through the terminal's process group; SIGTERM is passed on. Either
// way this process waits for the child and exits with its status.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => child.kill('SIGTERM'))
child.on('error', (err) => fail(`could not start ${cmd}: ${err.message}`))
child.on('exit', (code, signal) =>
  process.exit(code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 1)),
)
