import { randomBytes } from 'node:crypto'

/**
 * Server-provided DPoP nonces (RFC 9449 §9): random values that rotate every `rotateAfterMs`; the
 * current and the previous value are accepted, so a nonce stays valid for at least one period.
 */
export class DpopNonces {
  #rotateAfterMs
  #current = ''
  #previous = ''
  #rotatedAt = 0

  /** @param {{ rotateAfterMs?: number }} [opts] */
  constructor(opts = {}) {
    this.#rotateAfterMs = opts.rotateAfterMs ?? 60_000
    this.#rotate()
  }

  #rotate() {
    this.#previous = this.#current
    this.#current = randomBytes(24).toString('base64url')
    this.#rotatedAt = Date.now()
  }

  #maybeRotate() {
    if (Date.now() - this.#rotatedAt >= this.#rotateAfterMs) this.#rotate()
  }

  /** The nonce to hand out now. */
  current() {
    this.#maybeRotate()
    return this.#current
  }

  /** @param {unknown} nonce */
  isValid(nonce) {
    this.#maybeRotate()
    return (
      typeof nonce === 'string' &&
      nonce !== '' &&
      (nonce === this.#current || nonce === this.#previous)
    )
  }

  /** How long an accepted nonce can be valid, in ms. */
  get maxLifetimeMs() {
    return this.#rotateAfterMs * 2
  }
}
