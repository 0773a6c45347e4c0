#!/usr/bin/env node
// Registers tsx so the CLI and the app's TypeScript load directly, with no build step.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

function resolveOrSkip(resolve) {
  try {
    return resolve()
  } catch {
    return undefined
  }
}

function dependenciesOfCore() {
  const coreUrl = resolveOrSkip(() => import.meta.resolve('@servey/core'))
  if (coreUrl === undefined) return []
  const manifest = resolveOrSkip(() =>
    JSON.parse(readFileSync(new URL('../package.json', coreUrl), 'utf8')),
  )
  const require = createRequire(coreUrl)
  // jose is left out: core loads it lazily, only when a token is verified or signed.
  const eager = Object.keys(manifest?.dependencies ?? {}).filter((name) => name !== 'jose')
  return eager.map((name) => resolveOrSkip(() => pathToFileURL(require.resolve(name)).href))
}

// Once tsx's hooks are registered, every module load makes a round trip to Node's loader
// thread, and typebox alone is ~700 files. So the plain-JS dependencies every command needs
// (@servey/core's, and commander) load first, natively; later imports of the same URLs reuse
// them. This cuts the start-up time of `servey run` by about a third. It is an optimisation
// only: whatever fails here simply loads through tsx later.
async function preloadDependencies() {
  const urls = [resolveOrSkip(() => import.meta.resolve('commander')), ...dependenciesOfCore()]
  await Promise.all(urls.filter(Boolean).map((url) => import(url).catch(() => undefined)))
}

// tsx's own modules load alongside: all of this is plain JS, read and compiled natively.
const [{ register }] = await Promise.all([import('tsx/esm/api'), preloadDependencies()])
register()
await import('../src/main.ts')
