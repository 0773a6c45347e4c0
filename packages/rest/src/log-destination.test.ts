import { openSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { Buffer } from 'node:buffer'
import { describe, expect, it, vi } from 'vitest'
import { jsonLogDestination } from './log-destination.ts'

const NAME = 'Jürgen ✓ 😀'

/** A log file, and its descriptor opened at once, so the destination is ready at once. */
async function logFile(): Promise<{ file: string; fd: number }> {
  const file = join(await mkdtemp(join(tmpdir(), 'servey-log-destination-')), 'server.log')
  return { file, fd: openSync(file, 'a') }
}

function records(file: string): unknown[] {
  const text = readFileSync(file, 'utf8')
  return text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line))
}

const expected = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ level: 30, index, name: NAME, msg: 'hi' }))

describe('jsonLogDestination', () => {
  it('writes a burst of lines in order and byte for byte; flushSync writes what is queued', async () => {
    const { file, fd } = await logFile()
    const destination = jsonLogDestination(fd)
    const logger = pino({ base: undefined, timestamp: false }, destination)
    // Far more than one write's worth (sonic-boom writes at most 16 KB at once), in one tick,
    // with characters of 2, 3 and 4 bytes so that byte and character counts differ.
    for (let index = 0; index < 5000; index++) logger.info({ index, name: NAME }, 'hi')
    // What pino does at exit: the first write is under way, the rest still queued.
    destination.flushSync()
    expect(records(file)).toEqual(expected(5000))
  })

  it('writes lines logged over many ticks while earlier writes are in flight', async () => {
    const { file, fd } = await logFile()
    const logger = pino({ base: undefined, timestamp: false }, jsonLogDestination(fd))
    for (let index = 0; index < 2000; index++) {
      logger.info({ index, name: NAME }, 'hi')
      if (index % 100 === 99) await new Promise((resolve) => setImmediate(resolve))
    }
    for (let waited = 0; records(file).length < 2000 && waited < 5000; waited += 20) await sleep(20)
    expect(records(file)).toEqual(expected(2000))
  })

  it('never measures the queued text again: a line costs its own length once', async () => {
    // What the destination is for (see log-destination.ts): pino's default text mode calls
    // Buffer.byteLength on the whole text still queued behind the write in flight, once per
    // line. In byte mode nothing is measured that way, however long the queue.
    const { fd } = await logFile()
    const destination = jsonLogDestination(fd)
    const logger = pino({ base: undefined, timestamp: false }, destination)
    const byteLength = vi.spyOn(Buffer, 'byteLength')
    try {
      for (let index = 0; index < 1000; index++) logger.info({ index, name: NAME }, 'hi')
      const measured = byteLength.mock.calls.map(([value]) =>
        typeof value === 'string' ? value.length : 0,
      )
      // One line is about 60 characters: anything longer is queued text measured again.
      expect(measured.filter((length) => length > 200)).toEqual([])
    } finally {
      byteLength.mockRestore()
      destination.flushSync()
    }
  })
})
