/**
 * The built `servey` (dist/, as npm installs it) imports an app given as JavaScript without
 * registering tsx (packages/cli/src/entry/typescript-loader.ts): on Node 20 that loader costs a
 * thread and about half of `servey run`'s CPU. Run from its sources (vitest), the CLI never
 * registers tsx, so only the built CLI shows the difference.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorkspace } from './pack-packages.ts'
import { runCommand } from './run-command.ts'
import { REPO_ROOT } from './workspace.ts'

const HELLO = join(REPO_ROOT, 'examples', 'hello')
const BUILT_MAIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'main.js')
let dir: string

beforeAll(async () => {
  await buildWorkspace()
  // Inside examples/hello, so that the app's `@servey/core` resolves as in an installed app.
  dir = await mkdtemp(join(HELLO, '.tmp-js-entry-'))
  const action = `import { action, Type } from '@servey/core'
export const say_hello = action(
  { params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => \`Hello \${name}!\`,
)
`
  await writeFile(join(dir, 'actions.js'), action)
  await writeFile(join(dir, 'typed.ts'), 'export const greeting: string = "Hi"\n')
  await writeFile(join(dir, 'imports-ts.js'), `export { greeting } from './typed.ts'\n`)
})

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

function run(entry: string) {
  return runCommand(
    process.execPath,
    [
      BUILT_MAIN,
      'run',
      `--entry=${join(dir, entry)}`,
      '--action=say_hello',
      '--event={"name":"JS"}',
    ],
    { cwd: HELLO },
  )
}

describe('servey run, built, with a JavaScript entry', () => {
  it('runs the action', async () => {
    const result = await run('actions.js')
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe('"Hello JS!"\n')
    expect(result.code).toBe(0)
  })

  it('loads no TypeScript loader: a JavaScript entry that imports TypeScript is told why it fails', async () => {
    const result = await run('imports-ts.js')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SERVEY_ERR_CLI_ENTRY_LOAD_FAILED')
    expect(result.stderr).toContain('a JavaScript entry is loaded without a TypeScript loader')
  })
})
