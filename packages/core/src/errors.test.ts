import { transform } from 'esbuild'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import * as errors from './errors.js'

test('every error has a stable name and code, also after minification renames the classes', async () => {
  const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'errors.ts'), 'utf8')
  const { code } = await transform(source, { loader: 'ts', format: 'cjs', minify: true })
  const module = { exports: {} as Record<string, new (...a: string[]) => Error & { code: string }> }
  new Function('module', 'exports', code)(module, module.exports)
  for (const [name, Class] of Object.entries(errors)) {
    if (typeof Class !== 'function' || !(Class.prototype instanceof Error)) continue
    const minified = new module.exports[name]!('msg', 'reason')
    const original = new (Class as unknown as new (...a: string[]) => Error & { code: string })(
      'msg',
      'reason',
    )
    expect(minified.name).toBe(name)
    expect(original.name).toBe(name)
    expect(minified.code).toBe(original.code)
    expect(minified).toBeInstanceOf(Error)
  }
})
