/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_ISSUER?: string
  readonly VITE_API_URL?: string
  readonly VITE_OTHER_URL?: string
  readonly VITE_API2_URL?: string
  readonly VITE_DPOP?: string
  readonly VITE_AUTO_REFRESH?: string
}
