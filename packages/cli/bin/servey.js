#!/usr/bin/env node
// The `servey` binary, plain JS. Installed from npm, the CLI is the built JS in dist/ and loads
// natively; only the app's own TypeScript goes through tsx, registered by the CLI just before it
// imports the app. In this repository's workspace, src/ sits next to dist/ (src/ is never
// published): there the CLI runs from its TypeScript sources so that no change needs a build.
import { existsSync } from 'node:fs'
import { register as registerHooks } from 'node:module'

const sourceMain = new URL('../src/main.ts', import.meta.url)

if (existsSync(sourceMain)) {
  const { register } = await import('tsx/esm/api')
  register()
  // Registered after tsx, so it runs first: every @servey/* import resolves to its sources.
  registerHooks('./source-condition-hooks.js', import.meta.url)
  await import(sourceMain.href)
} else {
  await import('../dist/main.js')
}
