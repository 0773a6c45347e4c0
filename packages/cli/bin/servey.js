#!/usr/bin/env node
// The `servey` binary, plain JS. Installed from npm, the CLI is the built JS in dist/ and loads
// natively; only the app's own TypeScript goes through tsx, registered by the CLI just before it
// imports the app. In this repository's workspace, src/ sits next to dist/ (src/ is never
// published): there the CLI runs from its TypeScript sources so that no change needs a build.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire, register as registerHooks } from 'node:module'
import { pathToFileURL } from 'node:url'

const sourceMain = new URL('../src/main.ts', import.meta.url)

function resolveOrSkip(resolve) {
  try {
    return resolve()
  } catch {
    return undefined
  }
}

// Once tsx's hooks are registered, every module load makes a round trip to Node's loader
// thread, and typebox alone is ~700 files. So in the workspace the plain-JS dependencies every
// command needs (commander, and @servey/core's) load first, natively; later imports of the same
// URLs reuse them. An optimisation only: whatever fails here simply loads through tsx later.
async function preloadDependencies() {
  const require = createRequire(import.meta.url)
  const coreManifest = new URL('../node_modules/@servey/core/package.json', import.meta.url)
  const core = resolveOrSkip(() => JSON.parse(readFileSync(coreManifest, 'utf8')))
  const requireFromCore = createRequire(coreManifest)
  // jose is left out: core loads it lazily, only when a token is verified or signed.
  const names = Object.keys(core?.dependencies ?? {}).filter((name) => name !== 'jose')
  const urls = [
    resolveOrSkip(() => pathToFileURL(require.resolve('commander')).href),
    ...names.map((name) => resolveOrSkip(() => pathToFileURL(requireFromCore.resolve(name)).href)),
  ]
  await Promise.all(urls.filter(Boolean).map((url) => import(url).catch(() => undefined)))
}

if (existsSync(sourceMain)) {
  const [{ register }] = await Promise.all([import('tsx/esm/api'), preloadDependencies()])
  register()
  // Registered after tsx, so it runs first: every @servey/* import resolves to its sources.
  registerHooks('./source-condition-hooks.js', import.meta.url)
  await import(sourceMain.href)
} else {
  await import('../dist/main.js')
}
