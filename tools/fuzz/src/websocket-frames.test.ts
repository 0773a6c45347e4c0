import type { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { closePayload, encodeFrame, OPCODE } from './websocket-frames.ts'

// ws exports its frame parser (`ws.Receiver`), which @types/ws leaves out.
const { Receiver } = (await import('ws')) as unknown as {
  Receiver: new (options: { isServer: boolean; maxPayload: number }) => Writable
}

/** What ws's own frame parser (the one the channels server runs) makes of the bytes. */
function parse(bytes: Buffer): Promise<{ event: string; detail: unknown }> {
  return new Promise((resolve) => {
    const receiver = new Receiver({ isServer: true, maxPayload: 64 * 1024 })
    receiver.on('message', (data: Buffer, isBinary: boolean) =>
      resolve({ event: isBinary ? 'binary' : 'text', detail: data.toString('utf8') }),
    )
    receiver.on('ping', (data: Buffer) => resolve({ event: 'ping', detail: data.length }))
    receiver.on('conclude', (code: number, reason: Buffer) =>
      resolve({ event: 'close', detail: [code, reason.toString('utf8')] }),
    )
    receiver.on('error', (error: Error & { code?: string; [key: symbol]: unknown }) => {
      const status = Object.getOwnPropertySymbols(error)
        .map((symbol) => error[symbol])
        .find((value) => typeof value === 'number')
      resolve({ event: 'error', detail: status })
    })
    receiver.write(bytes)
  })
}

describe('encodeFrame', () => {
  it('builds frames ws reads as intended, valid and not', async () => {
    const text = Buffer.from('{"type":"auth"}')
    expect(await parse(encodeFrame({ fin: true, opcode: OPCODE.text, payload: text }))).toEqual({
      event: 'text',
      detail: '{"type":"auth"}',
    })
    // A 300-byte payload takes the 16-bit length form.
    const long = Buffer.alloc(300, 0x61)
    expect(await parse(encodeFrame({ fin: true, opcode: OPCODE.text, payload: long }))).toEqual({
      event: 'text',
      detail: 'a'.repeat(300),
    })
    expect(
      await parse(
        encodeFrame({ fin: true, opcode: OPCODE.close, payload: closePayload(4000, text) }),
      ),
    ).toEqual({ event: 'close', detail: [4000, '{"type":"auth"}'] })
    // The violations the websocket trigger sends, each refused with its RFC 6455 status.
    expect(
      await parse(encodeFrame({ fin: true, opcode: OPCODE.text, payload: text, masked: false })),
    ).toEqual({ event: 'error', detail: 1002 })
    expect(
      await parse(encodeFrame({ fin: true, rsv: 0x20, opcode: OPCODE.text, payload: text })),
    ).toEqual({ event: 'error', detail: 1002 })
    expect(
      await parse(
        encodeFrame({
          fin: true,
          opcode: OPCODE.text,
          payload: Buffer.alloc(0),
          declaredLength: 2n ** 63n,
        }),
      ),
    ).toEqual({ event: 'error', detail: 1009 })
  })
})
