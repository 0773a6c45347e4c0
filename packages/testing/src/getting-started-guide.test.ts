/**
 * The getting-started guide, followed as written: its step 2 copies examples/hello to a new app
 * and replaces src/actions.ts with the guide's todo code; its step 4 runs that app's example
 * tests (the test file copied from hello). The code comes out of the guide itself, so an edit
 * to the guide, to hello's test file or to defineExampleTests that breaks a reader's first app
 * fails here.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import type { RunnerTask } from 'vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startVitest, type Reporter } from 'vitest/node'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const guidePath = join(repo, 'docs/guides/getting-started.md')
const hello = join(repo, 'examples/hello')
// Inside the repository (git-ignored), so the copy resolves vitest and @servey/* as a
// workspace app does after the guide's `pnpm install`.
const scratch = fileURLToPath(new URL('../.tmp-guide/', import.meta.url))

const STEP_2_LEAD = 'Replace `examples/todo/src/actions.ts` with:'

/** The first ```ts block after `lead` in the guide. */
function codeBlockAfter(markdown: string, lead: string): string {
  const at = markdown.indexOf(lead)
  if (at === -1) throw new Error(`the guide no longer says '${lead}'`)
  const block = /```ts\n([\s\S]*?)```/.exec(markdown.slice(at + lead.length))
  if (block?.[1] === undefined) throw new Error(`no \`\`\`ts block follows '${lead}'`)
  return block[1]
}

interface Reported {
  readonly name: string
  readonly state: string | undefined
  readonly messages: string[]
}

function flatten(tasks: readonly RunnerTask[]): Reported[] {
  return tasks.flatMap((task) =>
    task.type === 'suite'
      ? flatten(task.tasks)
      : [
          {
            name: task.name,
            state: task.result?.state,
            messages: (task.result?.errors ?? []).map((error) =>
              stripVTControlCharacters(error.message),
            ),
          },
        ],
  )
}

describe('the getting-started guide, followed as written', () => {
  let app = ''
  let reported: Reported[] = []
  let fileErrors: string[] = []

  beforeAll(async () => {
    const guide = await readFile(guidePath, 'utf8')
    await mkdir(scratch, { recursive: true })
    app = join(await mkdtemp(join(scratch, 'todo-')), 'todo')
    // Step 2: `cp -r examples/hello examples/todo`, the sed rename, and `pnpm install` (here:
    // hello's installed dependencies, which are the todo app's).
    await cp(hello, app, {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    })
    await symlink(join(hello, 'node_modules'), join(app, 'node_modules'), 'dir')
    for (const file of ['package.json', 'vitest.config.ts']) {
      const text = await readFile(join(app, file), 'utf8')
      await writeFile(join(app, file), text.replaceAll('example-hello', 'example-todo'))
    }
    await writeFile(join(app, 'src/actions.ts'), codeBlockAfter(guide, STEP_2_LEAD))

    // Step 4: `vitest run --project example-todo`, with the app's own vitest config.
    const vitest = await startVitest(
      'test',
      [],
      {
        watch: false,
        root: app,
        config: join(app, 'vitest.config.ts'),
        reporters: [{} satisfies Reporter],
      },
      {},
    )
    try {
      const files = vitest.state.getFiles()
      reported = files.flatMap((file) => flatten(file.tasks))
      fileErrors = files.flatMap((file) => (file.result?.errors ?? []).map((e) => e.message))
    } finally {
      await vitest.close()
    }
  }, 120_000)

  afterAll(async () => {
    if (app !== '') await rm(join(app, '..'), { recursive: true, force: true })
  })

  test("step 4: every example of the guide's todo app passes, in-process and over REST", () => {
    expect(fileErrors).toEqual([])
    expect(reported).toEqual([
      { name: 'add_todo › buy_milk [in-process]', state: 'pass', messages: [] },
      { name: 'add_todo › buy_milk [rest]', state: 'pass', messages: [] },
    ])
  })

  test('the code it runs is the code the guide shows', async () => {
    const guide = await readFile(guidePath, 'utf8')
    expect(await readFile(join(app, 'src/actions.ts'), 'utf8')).toBe(
      codeBlockAfter(guide, STEP_2_LEAD),
    )
    expect(await readFile(join(app, 'src/actions.test.ts'), 'utf8')).toBe(
      await readFile(join(hello, 'src/actions.test.ts'), 'utf8'),
    )
  })
})
