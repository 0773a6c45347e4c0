import { randomBytes } from 'node:crypto'

/** RFC 6455 §5.2 opcodes. */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const

export interface RawFrame {
  readonly fin: boolean
  /** RSV1..3 as bits 4..6 of the first byte (0x40, 0x20, 0x10); no extension is negotiated. */
  readonly rsv?: number
  readonly opcode: number
  readonly payload: Uint8Array
  /** Clients must mask (§5.3); an unmasked client frame is a protocol error. */
  readonly masked?: boolean
  /** A length field that lies: the declared length differs from the bytes sent. */
  readonly declaredLength?: bigint
}

/**
 * One frame as bytes on the wire, built by hand: the `ws` client refuses to write what a
 * hostile client would (bad close codes, oversized control frames, reserved bits, unmasked
 * frames), and those are exactly the frames the server must survive.
 */
export function encodeFrame(frame: RawFrame): Buffer {
  const masked = frame.masked ?? true
  const length = frame.declaredLength ?? BigInt(frame.payload.length)
  const head: number[] = [
    (frame.fin ? 0x80 : 0) | ((frame.rsv ?? 0) & 0x70) | (frame.opcode & 0x0f),
  ]
  const maskBit = masked ? 0x80 : 0
  let extended: Buffer
  if (length < 126n) {
    head.push(maskBit | Number(length))
    extended = Buffer.alloc(0)
  } else if (length <= 0xffffn) {
    head.push(maskBit | 126)
    extended = Buffer.alloc(2)
    extended.writeUInt16BE(Number(length))
  } else {
    head.push(maskBit | 127)
    extended = Buffer.alloc(8)
    extended.writeBigUInt64BE(length)
  }
  const payload = Buffer.from(frame.payload)
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload])
  const mask = randomBytes(4)
  for (let i = 0; i < payload.length; i++)
    payload[i] = (payload[i] as number) ^ (mask[i % 4] as number)
  return Buffer.concat([Buffer.from(head), extended, mask, payload])
}

/** A close frame's payload: the code (any 16-bit number, valid or not) and a reason. */
export function closePayload(code: number, reason: Uint8Array): Buffer {
  const bytes = Buffer.alloc(2)
  bytes.writeUInt16BE(code & 0xffff)
  return Buffer.concat([bytes, Buffer.from(reason)])
}
