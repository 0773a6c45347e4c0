import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { writeServerlessProject, type SlsOptions } from '@servey/aws/sls'
import { createRegistry } from '@servey/core'
import * as actions from './actions/index.ts'

const showcase = fileURLToPath(new URL('..', import.meta.url))
const entry = fileURLToPath(new URL('./actions/index.ts', import.meta.url))
const require = createRequire(import.meta.url)

/** osls, the maintained fork of Serverless Framework v3: it runs offline (v4 cannot). */
export const SERVERLESS_BIN = join(require.resolve('osls/package.json'), '..', 'bin/serverless.js')

/** Offline, with fake credentials: nothing here may reach AWS. */
export const SERVERLESS_ENV = {
  ...process.env,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake-secret-for-offline-tests',
  AWS_REGION: 'us-east-1',
}

/**
 * `servey sls` for the showcase, into a scratch folder inside the showcase so that Serverless
 * finds its plugins (serverless-offline) in the showcase's node_modules, as in a real app.
 */
export async function generateShowcaseProject(options: SlsOptions = {}) {
  const dir = await mkdtemp(join(showcase, '.tmp-sls-'))
  const report = await writeServerlessProject({
    registry: createRegistry(actions),
    entry,
    module: actions,
    serviceDir: dir,
    templates: join(showcase, 'templates'),
    options: { service: 'showcase', ...options },
  })
  return { dir, report, remove: () => rm(dir, { recursive: true, force: true }) }
}

export async function runServerless(dir: string, args: readonly string[]) {
  return promisify(execFile)(process.execPath, [SERVERLESS_BIN, ...args], {
    cwd: dir,
    env: SERVERLESS_ENV,
    timeout: 120_000,
  })
}
