import { appendFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { action, ActionError, channel, Type, WEB_POST } from '@servey/core'

const Note = Type.Object({ text: Type.String() })

// What the handlers did, in order, appended to the file the test names: the run's process is
// gone when the test looks.
function trace(line: string): void {
  const file = process.env['RUN_HANDLERS_TRACE']
  if (file !== undefined && file !== '') appendFileSync(file, `${line}\n`)
}

// Slow on purpose: the second group must still wait for it.
export const first_step = action({ params: Note, result: Type.Null() }, async ({ text }) => {
  await sleep(150)
  trace(`first:${text}`)
  return null
})

export const second_step = action({ params: Note, result: Type.Null() }, ({ text }) => {
  if (text === 'refuse') throw new ActionError('CONFLICT', `second_step refuses '${text}'`)
  trace(`second:${text}`)
  return null
})

// The test starts the webhook's receiver and passes its URL in the environment.
export const notes = channel('notes', {
  payload: Note,
  handlers: [
    { action: first_step },
    { action: second_step, group: 1 },
    { webhook: process.env['NOTES_WEBHOOK_URL'] ?? 'https://hooks.example.com/notes', group: 2 },
  ],
})

export const add_note = action(
  { triggers: [WEB_POST], params: Note, result: Type.String() },
  async (note, context) => (await context.publish(notes, note)).id,
)

// Publishes, then fails: the handlers it set off still run before the command exits.
export const add_note_then_fail = action(
  { params: Note, result: Type.String() },
  async (note, context) => {
    await context.publish(notes, note)
    throw new ActionError('CONFLICT', 'published, then refused')
  },
)
