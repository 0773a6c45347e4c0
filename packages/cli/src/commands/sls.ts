import { resolve } from 'node:path'
import { appRootOf } from '../dev/app-root.ts'
import { loadApp } from '../entry/load-app.ts'
import { appPagesFrom } from '../server/app-pages.ts'
import { resolveApp } from '../config/resolve-app.ts'
import type { CliIo } from '../io.ts'
import { suggestName } from '../run/suggest-name.ts'

export interface SlsCommandOptions {
  readonly entry?: string
  readonly dir?: string
  readonly service?: string
  readonly stage?: string
  readonly region?: string
  readonly runtime?: string
  readonly api?: string
  readonly router?: boolean
  readonly memory?: string
  readonly cors?: string
  readonly kms?: boolean
  readonly graphql?: boolean
  /** False with `--no-health`. */
  readonly health?: boolean
}

/** The flags of `servey sls`, for the suggestion on a mistyped one. */
export const SLS_FLAGS = [
  '--entry',
  '--dir',
  '--service',
  '--stage',
  '--region',
  '--runtime',
  '--api',
  '--router',
  '--memory',
  '--cors',
  '--kms',
  '--graphql',
  '--no-health',
  '--help',
]

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}

/**
 * `servey sls`: serverless.yml (only when missing), serverless.servey.yml and one bundle per
 * function, then a report of each function with its bundle size. Unknown flags are refused
 * with a coded error before anything is loaded or written.
 */
export async function writeServerless(
  options: SlsCommandOptions,
  unknown: readonly string[],
  io: CliIo,
): Promise<number> {
  const { slsErrors, writeServerlessProject, MAIN_FILE, INCLUDE_FILE } =
    await import('@servey/aws/sls')
  const stray = unknown[0]
  if (stray !== undefined) {
    const flag = stray.split('=')[0] as string
    const suggestion = flag.startsWith('--') ? suggestName(flag, SLS_FLAGS) : undefined
    throw slsErrors.SERVEY_ERR_SLS_OPTION_UNKNOWN(
      flag,
      suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`,
    )
  }
  const serviceDir = resolve(io.cwd, options.dir ?? '.')
  const { entry } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry, module } = await loadApp(entry.path)
  const memory = options.memory === undefined ? undefined : Number(options.memory)
  const report = await writeServerlessProject({
    registry,
    entry: entry.path,
    module,
    serviceDir,
    templates: appPagesFrom(appRootOf(entry.path, io.cwd))?.templates,
    options: {
      ...(options.service === undefined ? {} : { service: options.service }),
      ...(options.stage === undefined ? {} : { stage: options.stage }),
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.runtime === undefined ? {} : { runtime: options.runtime as never }),
      ...(options.api === undefined ? {} : { api: options.api as never }),
      ...(options.router === true ? { router: true } : {}),
      ...(memory === undefined ? {} : { memory }),
      ...(options.cors === undefined
        ? {}
        : { cors: options.cors.split(',').map((origin) => origin.trim()) }),
      ...(options.kms === true ? { kms: true } : {}),
      ...(options.graphql === true ? { graphql: true } : {}),
      ...(options.health === false ? { health: false } : {}),
    },
  })
  const lines = [
    report.mainWritten
      ? `Wrote ${MAIN_FILE} (yours from now on) and ${INCLUDE_FILE} for service ${report.service}`
      : `Wrote ${INCLUDE_FILE} for service ${report.service} (${MAIN_FILE} left as it is)`,
    '',
    ...report.functions.map((fn) => {
      const events = [...fn.routes, ...fn.schedules].join(', ')
      return `  ${fn.key.padEnd(24)} ${kib(fn.bytes).padStart(10)}  ${events}`
    }),
    '',
    'Next: npx serverless package (or deploy --stage <stage>); see docs/guides/aws.md',
  ]
  io.stdout.write(`${lines.join('\n')}\n`)
  if (!report.mainReferencesInclude) {
    io.stderr.write(
      `warning: ${MAIN_FILE} does not reference ${INCLUDE_FILE}, so none of the generated functions will deploy\n`,
    )
  }
  for (const warning of report.warnings) io.stderr.write(`warning: ${warning}\n`)
  return 0
}
