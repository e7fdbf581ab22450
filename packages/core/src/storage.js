import { createStore, del, get, keys, set, update } from 'idb-keyval'
export function memoryStore() {
  const map = new Map()
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    del: async (key) => void map.delete(key),
    keys: async () => [...map.keys()],
    update: async (key, fn) => void map.set(key, fn(map.get(key))),
  }
}
/** One IndexedDB database per issuer + client id, so two clients never share records. */
export function indexedDbStore(ns) {
  // Opened on first use: `indexedDB` may be missing, and opening throws synchronously then.
  let db
  const store = () => (db ??= createStore(`oauth-spa:${ns}`, 'records'))
  return {
    get: async (key) => get(key, store()),
    set: async (key, value) => set(key, value, store()),
    del: async (key) => del(key, store()),
    keys: async () => keys(store()),
    // One readwrite transaction: a compare-and-set no other tab can interleave with.
    update: async (key, fn) => update(key, fn, store()),
  }
}
/**
 * Wraps a store so that the first failure (IndexedDB missing, blocked, over quota, evicted)
 * switches to memory for good and reports why; the app keeps working in this tab.
 */
const deleting = (s, k) => s.del(k)
export function withFallback(primary, onFallback) {
  let active = primary
  const run =
    (op) =>
    async (...args) => {
      try {
        if (active !== primary) return await op(active, ...args)
        // A blocked database (an old tab holding a version change) never answers: do not wait forever.
        let timer
        return await Promise.race([
          op(active, ...args),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('storage did not answer in 5 s')), 5000)
          }),
        ]).finally(() => clearTimeout(timer))
      } catch (err) {
        if (active !== primary) throw err
        active = memoryStore()
        onFallback(err instanceof Error ? `${err.name}: ${err.message}` : String(err))
        // A delete that did not happen must not look done: the record may still be on disk.
        if (op === deleting) throw err
        return op(active, ...args)
      }
    }
  return {
    get: run((s, k) => s.get(k)),
    set: run((s, k, v) => s.set(k, v)),
    del: run(deleting),
    keys: run((s) => s.keys()),
    update: run((s, k, fn) => s.update(k, fn)),
  }
}
//# sourceMappingURL=storage.js.map
