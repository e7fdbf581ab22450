/**
 * In-memory set of recently seen identifiers (DPoP proof `jti`s) with per-entry expiry.
 */
export class ReplayCache {
  /** @type {Map<string, number>} id → expiry (ms since epoch) */
  #seen = new Map()
  #maxEntries

  /** @param {{ maxEntries?: number }} [opts] */
  constructor(opts = {}) {
    this.#maxEntries = opts.maxEntries ?? 100_000
  }

  /**
   * Records `id` until `expiresAt`. Returns false when it was already recorded and not expired.
   *
   * @param {string} id
   * @param {number} expiresAt ms since epoch
   */
  add(id, expiresAt) {
    const now = Date.now()
    const existing = this.#seen.get(id)
    if (existing !== undefined && existing > now) return false
    if (this.#seen.size >= this.#maxEntries) this.#sweep(now)
    this.#seen.set(id, expiresAt)
    return true
  }

  /** @param {number} now */
  #sweep(now) {
    for (const [id, expiresAt] of this.#seen) {
      if (expiresAt <= now) this.#seen.delete(id)
    }
    // still full of live entries: drop the oldest inserted ones
    for (const id of this.#seen.keys()) {
      if (this.#seen.size < this.#maxEntries) break
      this.#seen.delete(id)
    }
  }

  get size() {
    return this.#seen.size
  }
}
