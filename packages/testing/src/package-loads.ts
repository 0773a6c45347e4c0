import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Runs on Node's loader thread: every URL it resolves is posted to the probe's port.
const HOOKS = [
  'let port',
  'export function initialize(data) { port = data.port }',
  'export async function resolve(specifier, context, next) {',
  '  const result = await next(specifier, context)',
  '  port.postMessage(result.url)',
  '  return result',
  '}',
].join('\n')

// Loaded first in the process under test (`--import`): it registers HOOKS and, at exit, appends
// the watched packages it saw resolved to the report file, one JSON line per process.
const PROBE = [
  "import { appendFileSync } from 'node:fs'",
  "import { register } from 'node:module'",
  "import { MessageChannel } from 'node:worker_threads'",
  "const watch = (process.env.PACKAGE_PROBE_WATCH ?? '').split(',').filter((name) => name !== '')",
  'const loaded = new Set()',
  'const { port1, port2 } = new MessageChannel()',
  "port1.on('message', (url) => {",
  "  for (const name of watch) if (url.includes('/node_modules/' + name + '/')) loaded.add(name)",
  '})',
  'port1.unref()',
  `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), {`,
  '  data: { port: port2 },',
  '  transferList: [port2],',
  '})',
  "process.on('exit', () => {",
  "  appendFileSync(process.env.PACKAGE_PROBE_REPORT, JSON.stringify([...loaded]) + '\\n')",
  '})',
].join('\n')

export interface PackageLoadProbe {
  /** The environment of the process under test: `NODE_OPTIONS` and the probe's settings. */
  readonly env: Readonly<Record<string, string>>
  /**
   * The watched packages that the process (and any started with its environment) resolved,
   * sorted. Throws when no process reported, so a probe that never loaded cannot pass as "none".
   */
  loaded(): string[]
}

/**
 * Which of `watch` (npm package names) a process loads: give it `env`, let it exit, then read
 * `loaded()`. For start-up checks such as "`servey start` without Redis loads no Redis client".
 * The probe is an ES module in a `data:` URL passed with `--import`, so it needs no file on
 * disk and runs before the program's own imports, whatever loader the program registers.
 */
export function probePackageLoads(watch: readonly string[]): PackageLoadProbe {
  const report = join(mkdtempSync(join(tmpdir(), 'servey-package-loads-')), 'report.jsonl')
  const options = [
    process.env['NODE_OPTIONS'],
    `--import=data:text/javascript,${encodeURIComponent(PROBE)}`,
  ]
  return {
    env: {
      NODE_OPTIONS: options.filter((option) => option !== undefined && option !== '').join(' '),
      PACKAGE_PROBE_WATCH: watch.join(','),
      PACKAGE_PROBE_REPORT: report,
    },
    loaded() {
      const lines = existsSync(report) ? readFileSync(report, 'utf8').split('\n') : []
      const reports = lines
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[])
      if (reports.length === 0) {
        throw new Error(
          `No process reported its package loads to ${report}: was NODE_OPTIONS passed on?`,
        )
      }
      return [...new Set(reports.flat())].sort()
    },
  }
}
