import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ActionError } from '@servey/core'

export interface EventInput {
  /** `--event`: JSON text, `@file.json`, or `-` for stdin. */
  readonly flag?: string | undefined
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean }
  readonly cwd: string
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new ActionError(
      'MALFORMED_JSON',
      `The event ${where} is not valid JSON: ${(error as Error).message}`,
    )
  }
}

/**
 * The action's input for `servey run`: from `--event`, else from stdin when something is piped
 * in, else `{}`. Piped-in emptiness also means `{}`, so `servey run ... < /dev/null` works.
 */
export async function readEvent(input: EventInput): Promise<unknown> {
  const { flag } = input
  if (flag === undefined) {
    if (input.stdin.isTTY === true) return {}
    const text = await readAll(input.stdin)
    return text.trim() === '' ? {} : parse(text, 'read from stdin')
  }
  if (flag === '-') return parse(await readAll(input.stdin), 'read from stdin')
  if (flag.startsWith('@')) {
    const path = resolve(input.cwd, flag.slice(1))
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      throw new ActionError('BAD_REQUEST', `Cannot read the event file ${path} (${reason})`)
    }
    return parse(text, `in ${path}`)
  }
  return parse(flag, 'given with --event')
}
