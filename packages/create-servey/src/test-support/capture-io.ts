import { PassThrough } from 'node:stream'
import type { CreateIo } from '../io.ts'

/** An io whose output a test reads; stdin and stdout are terminals only when asked. */
export function captureIo(
  cwd: string,
  terminal = false,
): CreateIo & { out(): string; err(): string } {
  let out = ''
  let err = ''
  const stdin = Object.assign(new PassThrough(), { isTTY: terminal })
  return {
    cwd,
    stdin,
    stdout: { isTTY: terminal, write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  }
}
