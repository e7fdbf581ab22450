const env = import.meta.env
export const issuer = env.VITE_ISSUER ?? 'http://localhost:9000'
export const apiUrl = env.VITE_API_URL ?? 'http://localhost:9001'
