import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { CANCELLED, terminalQuestions } from './ask.ts'

/** A fake terminal: clack reads keypresses from `keys` and draws on `screen`. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input })
  let screen = ''
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 })
  output.on('data', (chunk: Buffer) => (screen += chunk.toString()))
  return {
    io: { stdin: input, stdout: output, stderr: output, cwd: '/' },
    screen: () => screen,
    /** Types once the prompt has drawn `waitFor`. */
    async type(keys: string, waitFor: string) {
      const deadline = Date.now() + 5_000
      while (!screen.includes(waitFor)) {
        if (Date.now() > deadline) throw new Error(`never drew ${waitFor}:\n${screen}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      input.write(keys)
    },
  }
}

describe('terminalQuestions, through @clack/prompts', () => {
  it('takes a typed folder name, and the default triggers on Enter', async () => {
    const terminal = fakeTerminal()
    const questions = terminalQuestions(terminal.io)
    const directory = questions.directory('servey-app')
    await terminal.type('my-app\r', 'Where should the app go?')
    expect(await directory).toBe('my-app')
    const triggers = questions.triggers()
    await terminal.type('\r', 'Which triggers')
    expect(await triggers).toEqual(['web', 'schedule', 'job'])
  })

  it('toggles a trigger with the arrow keys and space', async () => {
    const terminal = fakeTerminal()
    const triggers = terminalQuestions(terminal.io).triggers()
    // Down three times to "HTML page", select it, submit.
    await terminal.type('\u001b[B\u001b[B\u001b[B \r', 'Which triggers')
    expect(await triggers).toEqual(['web', 'schedule', 'job', 'page'])
  })

  it('answers CANCELLED on Ctrl-C', async () => {
    const terminal = fakeTerminal()
    const directory = terminalQuestions(terminal.io).directory('servey-app')
    await terminal.type('\u0003', 'Where should the app go?')
    expect(await directory).toBe(CANCELLED)
  })
})
