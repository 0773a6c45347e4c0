import { action, channel, Type, WEB_GET, WEB_POST } from '@servey/core'

const Note = Type.Object({ text: Type.String() })
const handled: string[] = []

export const remember = action({ params: Note, result: Type.Null() }, ({ text }) => {
  handled.push(text)
  return null
})

// The webhook's receiver is started by the test, which passes its URL in the environment.
export const notes = channel('notes', {
  payload: Note,
  handlers: [
    { action: remember },
    { webhook: process.env['NOTES_WEBHOOK_URL'] ?? 'https://hooks.example.com/notes', group: 1 },
  ],
})

export const add_note = action(
  { triggers: [WEB_POST], params: Note, result: Type.String() },
  async (note, context) => (await context.publish(notes, note)).id,
)

export const remembered = action({ triggers: [WEB_GET], result: Type.Array(Type.String()) }, () => [
  ...handled,
])
