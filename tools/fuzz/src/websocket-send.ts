import type { Socket } from 'node:net'
import WebSocket from 'ws'
import type { WsCase, WsStep } from './websocket-cases.ts'

/** How one step went: what it was owed, and what came. */
export interface StepOutcome {
  readonly step: WsStep
  /** Answer frames (`error`, `subscribed`...) that arrived for it. */
  readonly answers: readonly string[]
  readonly pongs: number
  /** The connection had closed before the step: nothing was sent. */
  readonly skipped: boolean
  /** The connection closed during the step. */
  readonly closed: boolean
  /** Nothing came within the wait. */
  readonly timedOut: boolean
}

export interface WsOutcome {
  /** The upgrade was refused over HTTP: its status, type and body. */
  readonly refused?: {
    readonly status: number
    readonly contentType: string
    readonly body: string
  }
  /** The opening answer of a single-channel socket, when one was owed. */
  readonly opening?: StepOutcome
  readonly steps: readonly StepOutcome[]
  /** Every text frame the server sent, envelopes included, in order. */
  readonly frames: readonly string[]
  /** The close the client saw: the code and reason the server sent (1006: none was sent). */
  readonly close?: { readonly code: number; readonly reason: string }
  /**
   * The server accepted the upgrade without choosing one of the offered subprotocols, as RFC
   * 6455 allows; the `ws` client then gives up on its own, so no step ran.
   */
  readonly noSubprotocol?: boolean
  /** The client itself closed with 1000 at the end (a clean handshake is then owed). */
  readonly closedByClient: boolean
  /** The connection failed in a way the case did not ask for (a reset, a timeout). */
  readonly error?: string
}

export type WsRun =
  | { readonly kind: 'outcome'; readonly outcome: WsOutcome }
  | { readonly kind: 'unsendable'; readonly error: string }

/** Frames that answer a client frame; envelopes and `resume_gap` come on their own. */
const ANSWER_TYPES = new Set(['error', 'subscribed', 'unsubscribed', 'authenticated'])

function isAnswer(text: string): boolean {
  try {
    const frame = JSON.parse(text) as { type?: unknown }
    return typeof frame.type === 'string' && ANSWER_TYPES.has(frame.type)
  } catch {
    // Not JSON at all: count it as an answer, so the verdict sees and judges it.
    return true
  }
}

/** Complete messages a step sends: each is owed one answer. */
function messagesOf(step: WsStep): number {
  if (step.answers !== undefined) return step.answers
  let count = 0
  for (const op of step.send) if (op.op === 'binary' || (op.op === 'text' && op.fin)) count++
  return count
}

/**
 * One hostile session over a real `ws` client: connect, then each step's frames, each time
 * waiting for what the server owes (an answer per message, a close, a pong per ping) before the
 * next. Raw frames go on the client's TCP socket, since `ws` itself writes only valid ones.
 */
export function runWebsocketCase(origin: URL, item: WsCase, waitMs = 10_000): Promise<WsRun> {
  return new Promise((resolve) => {
    let client: WebSocket
    try {
      client = new WebSocket(
        new URL(item.path, origin.href.replace(/^http/, 'ws')),
        [...item.protocols],
        {
          headers: item.headers,
          perMessageDeflate: false,
          handshakeTimeout: waitMs,
          maxPayload: 64 * 1024 * 1024,
        },
      )
    } catch (error) {
      resolve({ kind: 'unsendable', error: (error as Error).message })
      return
    }
    const frames: string[] = []
    // Whether the upgrade got any answer: a 101 or a refusal.
    let answered = false
    let answers: string[] = []
    let pongs = 0
    let close: { code: number; reason: string } | undefined
    let error: string | undefined
    let wake: (() => void) | undefined
    const poke = () => wake?.()

    client.on('message', (data, isBinary) => {
      const text = isBinary ? `<binary ${(data as Buffer).length} bytes>` : String(data)
      frames.push(text)
      if (isAnswer(text)) answers.push(text)
      poke()
    })
    client.on('pong', () => {
      pongs++
      poke()
    })
    client.on('close', (code, reason) => {
      close = { code, reason: reason.toString('utf8') }
      poke()
    })
    client.on('error', (thrown: Error & { code?: string }) => {
      if (!answered && thrown.message === 'Server sent no subprotocol') {
        answered = true
        finish({ steps: [], closedByClient: false, noSubprotocol: true })
        return
      }
      // The client's own refusals of what the server sent, or a reset: recorded, judged later.
      error ??= `${thrown.code ?? 'ERROR'} ${thrown.message}`
      poke()
    })

    /** Resolves once `done()` holds, the connection closed, or the wait ran out. */
    const until = (done: () => boolean): Promise<boolean> =>
      new Promise((settle) => {
        if (done() || close !== undefined) {
          settle(false)
          return
        }
        const timer = setTimeout(() => {
          wake = undefined
          settle(true)
        }, waitMs)
        wake = () => {
          if (done() || close !== undefined) {
            clearTimeout(timer)
            wake = undefined
            settle(false)
          }
        }
      })

    const take = async (step: WsStep, owed: number): Promise<StepOutcome> => {
      const expect = step.expect
      const timedOut = await until(() =>
        expect.kind === 'pongs'
          ? pongs >= expect.count
          : expect.kind === 'answer'
            ? answers.length >= owed
            : false,
      )
      const outcome = {
        step,
        answers,
        pongs,
        skipped: false,
        closed: close !== undefined,
        timedOut,
      }
      answers = []
      pongs = 0
      return outcome
    }

    const finish = (outcome: Omit<WsOutcome, 'frames' | 'close' | 'error'>) => {
      resolve({
        kind: 'outcome',
        outcome: {
          ...outcome,
          frames,
          ...(close === undefined ? {} : { close }),
          ...(error === undefined ? {} : { error }),
        },
      })
    }

    client.on('unexpected-response', (_request, response) => {
      answered = true
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        finish({
          refused: {
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          },
          steps: [],
          closedByClient: false,
        })
        client.terminate()
      })
    })

    client.on('open', () => {
      answered = true
      void (async () => {
        const opening = item.opensWithAnswer
          ? await take({ label: 'opening', send: [], expect: { kind: 'answer' } }, 1)
          : undefined
        const steps: StepOutcome[] = []
        // ws keeps its TCP socket private; raw frames are written on it directly.
        const socket = (client as unknown as { _socket: Socket })._socket
        for (const step of item.steps) {
          if (close !== undefined) {
            steps.push({
              step,
              answers: [],
              pongs: 0,
              skipped: true,
              closed: true,
              timedOut: false,
            })
            continue
          }
          for (const op of step.send) {
            if (op.op === 'text') client.send(op.data, { binary: false, fin: op.fin })
            else if (op.op === 'binary') client.send(op.data, { binary: true })
            else if (op.op === 'ping') for (let i = 0; i < op.count; i++) client.ping()
            else socket.write(op.bytes)
          }
          steps.push(await take(step, messagesOf(step)))
        }
        let closedByClient = false
        if (close === undefined) {
          closedByClient = true
          client.close(1000, 'done')
          await until(() => false)
        }
        if (close === undefined) client.terminate()
        finish({ ...(opening === undefined ? {} : { opening }), steps, closedByClient })
      })()
    })

    // Neither open nor refused: a reset, a handshake that timed out, an upgrade left hanging.
    client.on('close', () => {
      if (!answered) finish({ steps: [], closedByClient: false })
    })
  })
}
