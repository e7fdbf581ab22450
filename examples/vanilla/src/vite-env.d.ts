/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_ISSUER?: string
  readonly VITE_API_URL?: string
  readonly VITE_OTHER_URL?: string
  readonly VITE_API2_URL?: string
  readonly VITE_DPOP?: string
  readonly VITE_AUTO_REFRESH?: string
  /** auth0, cognito, entra, keycloak, okta: the preset for that provider (its local stand-in). */
  readonly VITE_PROVIDER?: string
  /** cognito: the user pool domain (default: the issuer's origin, as in the stand-in). */
  readonly VITE_COGNITO_DOMAIN?: string
  /** auth0: the API identifier (default: VITE_API_URL, as in the stand-in). */
  readonly VITE_AUTH0_AUDIENCE?: string
}
