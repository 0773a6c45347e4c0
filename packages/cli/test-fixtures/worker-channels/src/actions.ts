import { appendFileSync } from 'node:fs'
import { action, channel, Type, WEB_POST } from '@servey/core'

// Each handler run leaves a line in FEED_FILE, so a test can see where it ran.
export const note_feed = action(
  { params: Type.Object({ text: Type.String(), pid: Type.Integer() }) },
  ({ text, pid }) => {
    const file = process.env['FEED_FILE']
    if (file !== undefined)
      appendFileSync(file, `${text} published by ${pid}, handled by ${process.pid}\n`)
  },
)

/** Events carry the publishing process's pid, so a test can tell a worker's publish apart. */
export const jobs_feed = channel('jobs_feed', {
  payload: Type.Object({ text: Type.String(), pid: Type.Integer() }),
  handlers: [{ action: note_feed }],
})

export const publish_later = action(
  {
    triggers: [WEB_POST],
    publishes: [jobs_feed],
    params: Type.Object({ text: Type.String() }),
    result: Type.Object({ id: Type.String(), pid: Type.Integer() }),
  },
  async ({ text }, context) => {
    const envelope = await context.publish(jobs_feed, { text, pid: process.pid })
    return { id: envelope.id, pid: process.pid }
  },
)
