/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_ISSUER?: string
  readonly VITE_API_URL?: string
  readonly VITE_AUTO_REFRESH?: string
}
