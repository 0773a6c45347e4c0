#!/usr/bin/env node
// Registers tsx so the CLI and the app's TypeScript load directly, with no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
