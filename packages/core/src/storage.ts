import { createStore, del, get, keys, set, update, type UseStore } from 'idb-keyval'

/**
 * Where the SDK keeps its records (session, login transactions, DPoP key, cached metadata).
 * Values are structured-cloneable (plain objects, `CryptoKey`s). Implement it to use your own
 * storage; never back it with localStorage, sessionStorage or cookies.
 */
export interface TokenStore {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown): Promise<void>
  del(key: string): Promise<void>
  keys(): Promise<string[]>
  /**
   * Atomic read-modify-write: no other tab's write may land between the read and the write (one
   * IndexedDB readwrite transaction does this). Login transactions are taken with it (a state is
   * usable once), the session is written with it as a compare-and-set, and tabs without Web Locks
   * take their lease with it. Returning `undefined` from `fn` stores `undefined`.
   */
  update(key: string, fn: (old: unknown) => unknown): Promise<void>
}

export function memoryStore(): TokenStore {
  const map = new Map<string, unknown>()
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    del: async (key) => void map.delete(key),
    keys: async () => [...map.keys()],
    update: async (key, fn) => void map.set(key, fn(map.get(key))),
  }
}

/** One IndexedDB database per issuer + client id, so two clients never share records. */
export function indexedDbStore(ns: string): TokenStore {
  // Opened on first use: `indexedDB` may be missing, and opening throws synchronously then.
  let db: UseStore | undefined
  const store = (): UseStore => (db ??= createStore(`oauth-spa:${ns}`, 'records'))
  return {
    get: async (key) => get(key, store()),
    set: async (key, value) => set(key, value, store()),
    del: async (key) => del(key, store()),
    keys: async () => keys<string>(store()),
    // One readwrite transaction: a compare-and-set no other tab can interleave with.
    update: async (key, fn) => update(key, fn, store()),
  }
}

/**
 * Wraps a store so that the first failure (IndexedDB missing, blocked, over quota, evicted)
 * switches to memory for good and reports why; the app keeps working in this tab.
 */
const deleting = (s: TokenStore, k: string) => s.del(k)

export function withFallback(
  primary: TokenStore,
  onFallback: (reason: string) => void,
): TokenStore {
  let active = primary
  const run =
    <A extends unknown[], R>(op: (s: TokenStore, ...a: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        if (active !== primary) return await op(active, ...args)
        // A blocked database (an old tab holding a version change) never answers: do not wait forever.
        let timer: ReturnType<typeof setTimeout> | undefined
        return await Promise.race([
          op(active, ...args),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('storage did not answer in 5 s')), 5000)
          }),
        ]).finally(() => clearTimeout(timer))
      } catch (err) {
        if (active !== primary) throw err
        active = memoryStore()
        onFallback(err instanceof Error ? `${err.name}: ${err.message}` : String(err))
        // A delete that did not happen must not look done: the record may still be on disk.
        if ((op as unknown) === deleting) throw err
        return op(active, ...args)
      }
    }
  return {
    get: run((s, k: string) => s.get(k)),
    set: run((s, k: string, v: unknown) => s.set(k, v)),
    del: run(deleting),
    keys: run((s) => s.keys()),
    update: run((s, k: string, fn: (old: unknown) => unknown) => s.update(k, fn)),
  }
}
