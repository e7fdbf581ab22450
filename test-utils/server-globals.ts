import { afterAll, beforeAll } from 'vitest'

// Browser globals that server rendering must not touch. Node has none of them but
// BroadcastChannel (and, in newer versions, navigator and localStorage): reading a missing one
// throws a ReferenceError, reading one Node has throws the error below. `typeof x` stays allowed.
const BROWSER_GLOBALS = [
  'navigator',
  'window',
  'document',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'BroadcastChannel',
]

/** For the file's tests: every browser global Node has throws when read, restored afterwards. */
export function trapBrowserGlobals(): void {
  const saved = new Map<string, PropertyDescriptor | undefined>()
  beforeAll(() => {
    for (const name of BROWSER_GLOBALS) {
      if (!(name in globalThis)) continue
      saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name))
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          throw new Error(`${name} was touched during server rendering`)
        },
      })
    }
  })
  afterAll(() => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
      else delete (globalThis as Record<string, unknown>)[name]
    }
  })
}
