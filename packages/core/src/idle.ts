import type { Config } from './config.js'
import type { AuthEvents } from './types.js'

// Loaded on demand: only apps with `idleTimeout` ship it.

/** What counts as the person being there. */
const INPUT = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']
/** setTimeout fires at once beyond this. */
const MAX_TIMER = 2 ** 31 - 1

export interface IdleHooks {
  /** Whether a session is there to time out. */
  active(): boolean
  /** The time is up: end the session everywhere. */
  expire(): void
  emit<E extends 'idle-warning' | 'idle-reset'>(event: E, payload: AuthEvents[E]): void
}

/**
 * Ends the session after `cfg.idleTimeout` seconds without input in any tab of the app, with an
 * `idle-warning` `cfg.idleWarning` seconds before that any input cancels (`idle-reset`). Tabs
 * share the last input's time over a BroadcastChannel (at most every few seconds, and always the
 * latest), so every tab counts down from the same moment. `check` looks again after the session
 * changed (`loggedIn` restarts the countdown).
 */
export function watchIdle(
  cfg: Config,
  hooks: IdleHooks,
): { check(loggedIn?: boolean): void; stop(): void } {
  const timeout = cfg.idleTimeout! * 1000
  const warnAt = Math.max(
    0,
    timeout - (cfg.idleWarning ?? Math.min(60, cfg.idleTimeout! / 4)) * 1000,
  )
  const every = Math.min(5000, timeout / 10)
  let last = cfg.now()
  let warned = false
  let timer: unknown
  let pending: unknown
  let sent = 0
  const channel =
    typeof BroadcastChannel === 'function'
      ? new BroadcastChannel(`oauth-spa:${cfg.ns}:idle`)
      : undefined

  function check() {
    cfg.clearTimeout(timer)
    if (!hooks.active()) {
      warned = false
      return
    }
    const idle = cfg.now() - last
    if (idle >= timeout) {
      warned = false
      return hooks.expire()
    }
    if (idle >= warnAt && !warned) {
      warned = true
      hooks.emit('idle-warning', { remaining: Math.ceil((timeout - idle) / 1000) })
    }
    timer = cfg.setTimeout(check, Math.min(MAX_TIMER, (idle >= warnAt ? timeout : warnAt) - idle))
  }
  function seen(at: number) {
    if (at <= last) return
    last = at
    if (warned) {
      warned = false
      hooks.emit('idle-reset', {})
    }
    check()
  }
  function tell() {
    pending = undefined
    sent = cfg.now()
    channel?.postMessage({ at: last })
  }
  const input = () => {
    const now = cfg.now()
    // Cheap when nothing changed: pointermove fires often.
    if (now - last < 250 && !warned) return
    seen(now)
    if (now - sent >= every) tell()
    else pending ??= cfg.setTimeout(tell, every - (now - sent))
  }
  if (channel)
    channel.onmessage = (e: MessageEvent<{ at?: unknown }>) =>
      typeof e.data?.at === 'number' && seen(Math.min(e.data.at, cfg.now()))
  for (const type of INPUT) addEventListener(type, input, { capture: true, passive: true })
  check()
  return {
    check(loggedIn) {
      // A login is the person being there; a refresh or another tab's change is not.
      if (loggedIn) {
        last = cfg.now()
        warned = false
      }
      check()
    },
    stop() {
      cfg.clearTimeout(timer)
      cfg.clearTimeout(pending)
      channel?.close()
      for (const type of INPUT) removeEventListener(type, input, { capture: true })
    },
  }
}
