import type { Readable, Writable } from 'node:stream'
import { cancel, intro, isCancel, multiselect, text } from '@clack/prompts'
import type { CreateIo } from './io.ts'
import { DEFAULT_TRIGGERS, TRIGGER_CHOICES, TRIGGERS, type TriggerChoice } from './triggers.ts'

/** The answer when the user pressed Ctrl-C or Escape in a question. */
export const CANCELLED = Symbol('cancelled')

/** Questions asked at a terminal, through @clack/prompts, for what the flags left open. */
export interface Questions {
  start(): void
  directory(defaultValue: string): Promise<string | typeof CANCELLED>
  triggers(): Promise<TriggerChoice[] | typeof CANCELLED>
  cancelled(): void
}

export function terminalQuestions(io: CreateIo): Questions {
  // Only asked when both are terminals, which are full Node streams.
  const streams = { input: io.stdin as Readable, output: io.stdout as Writable }
  return {
    start() {
      intro('create-servey', { output: streams.output })
    },
    async directory(defaultValue) {
      const answer = await text({
        ...streams,
        message: 'Where should the app go?',
        placeholder: defaultValue,
        defaultValue,
      })
      return isCancel(answer) ? CANCELLED : answer
    },
    async triggers() {
      const answer = await multiselect<TriggerChoice>({
        ...streams,
        message: 'Which triggers should the example actions show?',
        options: TRIGGER_CHOICES.map((value) => ({
          value,
          label: TRIGGERS[value].label,
          hint: TRIGGERS[value].hint,
        })),
        initialValues: [...DEFAULT_TRIGGERS],
        required: true,
      })
      return isCancel(answer) ? CANCELLED : answer
    },
    cancelled() {
      cancel('Cancelled: nothing was written.', { output: streams.output })
    },
  }
}
