import type { AuthClient } from '@oauth-spa/core'

// The example app exposes its client for these tests (see examples/vanilla/src/main.ts).
declare global {
  interface Window {
    auth: AuthClient
  }
}
