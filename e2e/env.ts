// Ports of the servers the e2e suite starts; far from the demo's so both can run at once.
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback)

export const AUTH_PORT = port('E2E_AUTH_PORT', 19000)
export const API_PORT = port('E2E_API_PORT', 19001)
export const API2_PORT = port('E2E_API2_PORT', 19003)
export const OTHER_PORT = port('E2E_OTHER_PORT', 19002)
export const APP_PORT = port('E2E_APP_PORT', 15173)
export const DPOP_APP_PORT = port('E2E_DPOP_APP_PORT', 15174)
export const REACT_APP_PORT = port('E2E_REACT_APP_PORT', 15175)
export const VUE_APP_PORT = port('E2E_VUE_APP_PORT', 15176)
/** The production build of the vanilla example under a strict CSP (served by csp.spec.ts). */
export const CSP_APP_PORT = port('E2E_CSP_APP_PORT', 15177)
/** The React and Vue examples rendered on a server, then hydrated (served by ssr.spec.ts). */
export const SSR_REACT_PORT = port('E2E_SSR_REACT_PORT', 15178)
export const SSR_VUE_PORT = port('E2E_SSR_VUE_PORT', 15179)

export const ISSUER = `http://localhost:${AUTH_PORT}`
export const API = `http://localhost:${API_PORT}`
export const API2 = `http://localhost:${API2_PORT}`
export const OTHER = `http://localhost:${OTHER_PORT}`
export const APP = `http://localhost:${APP_PORT}`
export const DPOP_APP = `http://localhost:${DPOP_APP_PORT}`
export const REACT_APP = `http://localhost:${REACT_APP_PORT}`
export const VUE_APP = `http://localhost:${VUE_APP_PORT}`
export const CSP_APP = `http://localhost:${CSP_APP_PORT}`
export const SSR_REACT = `http://localhost:${SSR_REACT_PORT}`
export const SSR_VUE = `http://localhost:${SSR_VUE_PORT}`
/** Short enough that tests see expiry within seconds; the SDK's leeway is then half of it. */
export const ACCESS_TOKEN_TTL = 12
