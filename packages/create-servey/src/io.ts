/**
 * Where create-servey reads and writes: the process, or streams a test controls. The shape is
 * the servey CLI's, so `servey init` hands over its own.
 */
export interface CreateIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean }
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean }
  readonly stderr: { write(text: string): unknown }
  readonly cwd: string
}

export function processIo(): CreateIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  }
}
