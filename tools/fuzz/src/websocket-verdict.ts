import { ActionError, websocketCloseCodeOf } from '@servey/core'
import type { Fault } from './verdict.ts'
import { SERVER_FAULT_CODES, STACK_FRAME } from './verdict.ts'
import type { WsCase } from './websocket-cases.ts'
import type { WsOutcome } from './websocket-send.ts'

/**
 * Close codes the channels server documents (docs/reference/channels.md): 1001 going away,
 * 1002 a protocol violation, 1007 a text frame that is not UTF-8, 1008 a refusal about who may
 * read what, 1009 a frame over the limit, 1013 a slow consumer; 1000 and 1005 end a handshake
 * the client began. 1011 (a server failure) is never an answer to bad input.
 */
const DOCUMENTED_CLOSES = new Set([1000, 1001, 1002, 1005, 1007, 1008, 1009, 1013])

/** Codes the client itself sends in a close frame: the server's close echoes them. */
export function echoedCloses(item: WsCase): Set<number> {
  const echoes = new Set<number>()
  for (const step of item.steps) {
    if (step.expect.kind === 'close' && step.label.startsWith('close frame')) {
      for (const code of step.expect.codes) echoes.add(code)
    }
  }
  return echoes
}

interface Frame {
  readonly type?: unknown
  readonly code?: unknown
}

function parse(text: string): Frame | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null ? (value as Frame) : undefined
  } catch {
    return undefined
  }
}

/**
 * The goals for one websocket session: every frame the server sent is a JSON object, every
 * `error` frame carries a stable code that is not a server fault, nothing holds a stack frame;
 * every step got what it was owed (an answer per message, a pong per ping, the documented close
 * code) and never a 1011; an upgrade the server refuses is a 4xx problem.
 */
export function judgeWebsocket(item: WsCase, outcome: WsOutcome): Fault {
  const refused = outcome.refused
  if (refused !== undefined) {
    if (refused.status >= 500) return `upgrade refused with ${refused.status}`
    if (STACK_FRAME.test(refused.body)) return 'stack trace in the upgrade refusal'
    const problem = /json/.test(refused.contentType) ? parse(refused.body) : undefined
    if (typeof problem?.code !== 'string')
      return `upgrade refused with ${refused.status} and no code`
    if (SERVER_FAULT_CODES.has(problem.code)) return `upgrade refused with code ${problem.code}`
    return undefined
  }
  if (outcome.noSubprotocol === true) return undefined
  if (outcome.opening === undefined && outcome.steps.length === 0 && outcome.close !== undefined) {
    return `the upgrade got no answer: ${outcome.error ?? `closed ${outcome.close.code}`}`
  }

  // A refusal closes the socket with its code's close code (core's table): a refused
  // single-channel subscription, a bad token.
  const refusals = new Set<number>()
  for (const text of outcome.frames) {
    if (STACK_FRAME.test(text)) return 'stack trace in a frame'
    const frame = parse(text)
    if (frame === undefined) return `a frame that is not a JSON object: ${text.slice(0, 80)}`
    if (frame.type !== 'error') continue
    if (typeof frame.code !== 'string') return 'an error frame without a code'
    if (SERVER_FAULT_CODES.has(frame.code)) return `error frame with code ${frame.code}`
    refusals.add(websocketCloseCodeOf(new ActionError(frame.code)))
  }

  const echoes = echoedCloses(item)
  const close = outcome.close
  if (close !== undefined) {
    if (STACK_FRAME.test(close.reason)) return 'stack trace in a close reason'
    if (close.code === 1006)
      return `closed without a close frame${outcome.error === undefined ? '' : ` (${outcome.error})`}`
    if (
      !DOCUMENTED_CLOSES.has(close.code) &&
      !echoes.has(close.code) &&
      !refusals.has(close.code)
    ) {
      return `closed with ${close.code} ${close.reason.slice(0, 60)}`
    }
  } else {
    return 'the connection did not close at the end'
  }

  const owed = outcome.opening === undefined ? outcome.steps : [outcome.opening, ...outcome.steps]
  for (const step of owed) {
    if (step.skipped) continue
    if (step.timedOut) return `no answer in time to: ${step.step.label.slice(0, 120)}`
    const expect = step.step.expect
    if (expect.kind === 'answer' && expect.error === true) {
      for (const answer of step.answers) {
        if (parse(answer)?.type !== 'error') return `a bad frame answered ${answer.slice(0, 80)}`
      }
    }
    if (expect.kind === 'close') {
      // A refusal just before may have closed the socket first, or a replay (1013).
      const allowed = new Set([...expect.codes, 1013, ...refusals])
      if (!allowed.has(close.code)) {
        return `closed with ${close.code}, not ${expect.codes.join(' or ')}, after: ${step.step.label.slice(0, 100)}`
      }
    }
  }
  return undefined
}
