#!/usr/bin/env node
// `npm create servey@latest my-app` runs this file. Installed, it loads the built JS in dist/;
// in this repository's workspace (src/ is never published) it runs the TypeScript sources
// through tsx, so `node packages/create-servey/bin.js ../my-app` needs no build.
import { existsSync } from 'node:fs'

const sourceMain = new URL('./src/main.ts', import.meta.url)

if (existsSync(sourceMain)) {
  const { register } = await import('tsx/esm/api')
  register()
  await import(sourceMain.href)
} else {
  await import('./dist/main.js')
}
