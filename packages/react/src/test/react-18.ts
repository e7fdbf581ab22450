// Setup of the `react-18` Vitest project: every `react` / `react-dom` the tests load is 18.3.1.
// Vite's aliases cover the source and the inlined packages; this covers CommonJS packages that
// Node loads itself (react-dom 18 is linked with React 19 as its peer, @testing-library/react).
import Module from 'node:module'
import { dirname } from 'node:path'

const require = Module.createRequire(import.meta.url)
const dirs: Record<string, string> = {
  react: dirname(require.resolve('react-18/package.json')),
  'react-dom': dirname(require.resolve('react-dom-18/package.json')),
}
type Resolve = (request: string, ...rest: unknown[]) => string
const loader = Module as unknown as { _resolveFilename: Resolve }
const resolve = loader._resolveFilename
loader._resolveFilename = function (request, ...rest) {
  const m = /^(react|react-dom)(\/.*)?$/.exec(request)
  return resolve.call(this, m ? dirs[m[1]!]! + (m[2] ?? '') : request, ...rest)
}
