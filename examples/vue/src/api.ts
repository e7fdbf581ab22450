import { shallowRef } from 'vue'
import { useAuthClient } from '@oauth-spa/vue'
import { apiUrl } from './config'

/** Sends a request through `client.fetch` and shows the answer, pretty-printed when JSON. */
export function useApi() {
  const client = useAuthClient()
  const answer = shallowRef('(none yet)')
  async function call(path: string, init?: RequestInit) {
    try {
      // The token is added by the client, and only for the allowed origins.
      const res = await client.fetch(`${apiUrl}${path}`, init)
      const body = await res.text()
      let shown = body
      try {
        shown = JSON.stringify(JSON.parse(body), null, 2)
      } catch {
        // not JSON: show it as it came
      }
      answer.value = `HTTP ${res.status}\n${shown}`
    } catch (err) {
      answer.value = `${(err as Error).name}: ${(err as Error).message}`
    }
  }
  return { answer, call }
}
