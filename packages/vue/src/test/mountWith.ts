import { mount } from '@vue/test-utils'
import { defineComponent, h } from 'vue'
import type { AuthClient } from '@oauth-spa/core'
import { createAuthPlugin } from '../createAuthPlugin.js'

/** Mounts a component whose `setup` runs `use`, in an app with the plugin installed. */
export function mountWith<T>(
  client: AuthClient,
  use: () => T,
  render: (value: T) => string = () => '',
) {
  let value!: T
  const Probe = defineComponent({
    setup() {
      value = use()
      return () => h('p', render(value))
    },
  })
  const wrapper = mount(Probe, { global: { plugins: [createAuthPlugin(client)] } })
  return { wrapper, value }
}
