import { decide } from './classify.js'
/** setTimeout fires at once beyond this. */
const MAX_TIMER = 2 ** 31 - 1
export function createScheduler(cfg, refresh) {
  let timer
  let failures = 0
  let until = 0
  let last
  let current
  let stopped = false
  const clear = () => {
    if (timer !== undefined) cfg.clearTimeout(timer)
    timer = undefined
  }
  const self = {
    blocked: () => (cfg.now() < until ? last : undefined),
    failed(error, how) {
      const verdict = decide(error, failures, how)
      if (verdict.action === 'retry') {
        failures++
        until = cfg.now() + verdict.afterMs
        last = error
        self.plan(current)
      }
      return verdict
    },
    succeeded() {
      failures = 0
      until = 0
    },
    plan(s) {
      current = s
      clear()
      const t = s?.tokens[cfg.resource ?? '']
      if (stopped || !cfg.autoRefresh || !t || !s?.refreshToken) return
      const now = cfg.now()
      const ms = Math.max(t.expiresAt - t.leeway - now, until - now)
      timer = cfg.setTimeout(
        () => {
          timer = undefined
          // Hidden pages wait: `visibilitychange` resumes.
          if (document.visibilityState !== 'hidden') refresh()
        },
        Math.min(MAX_TIMER, Math.max(0, ms)),
      )
    },
    resume(online) {
      // Back online: a network failure says nothing any more. A server's Retry-After still holds.
      if (online && !last?.retryAfter) failures = until = 0
      if (document.visibilityState === 'visible') self.plan(current)
    },
    stop() {
      stopped = true
      clear()
    },
  }
  return self
}
//# sourceMappingURL=scheduler.js.map
