import type { LambdaCase } from './lambda-cases.ts'
import { judgeHttp, SERVER_FAULT_CODES, STACK_FRAME, type Fault } from './verdict.ts'

/** How one invocation ended: what the handler returned, what it threw, or nothing in time. */
export type LambdaOutcome =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timeout'; readonly ms: number }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const TEXT =
  /^(?:text\/|application\/(?:json|problem\+json|graphql-response\+json|xml|javascript))/i

/**
 * A thrown error as Lambda reports it to the caller (`errorType` is its name, `errorMessage`
 * its message): the invocation errors of `@servey/aws` name a stable code, carry a status under
 * 500 for bad input, and no stack frame.
 */
function judgeThrown(error: unknown): Fault {
  if (!(error instanceof Error)) return `threw a non-error ${String(error).slice(0, 80)}`
  const coded = error as Error & { code?: unknown; status?: unknown }
  if (typeof coded.code !== 'string' || coded.name !== coded.code) {
    return `threw ${error.name} without a code: ${error.message.slice(0, 120)}`
  }
  if (SERVER_FAULT_CODES.has(coded.code)) return `threw code ${coded.code}`
  if (typeof coded.status !== 'number' || coded.status >= 500) {
    return `threw ${coded.code} with status ${String(coded.status)}`
  }
  if (STACK_FRAME.test(`${error.message}\n${error.stack ?? ''}`))
    return 'stack frames in the thrown error'
  return undefined
}

/**
 * The goals for one Lambda invocation. API Gateway events: the handler returns, never throws
 * (API Gateway would answer a bare 502), with a well-formed proxy result that keeps the HTTP
 * goals (no 5xx, no server-fault code, no stack, a code on every JSON 4xx). Direct, scheduled
 * and unknown events: a result, or an invocation error with a stable code under 500. SQS
 * batches: a batch response, never a throw (that would redeliver every record).
 */
export function judgeLambda(item: LambdaCase, outcome: LambdaOutcome): Fault {
  if (outcome.kind === 'timeout') return `no result within ${outcome.ms} ms`
  switch (item.kind) {
    case 'api-gateway': {
      if (outcome.kind === 'threw') {
        return `threw on an API Gateway event: ${String((outcome.error as Error)?.message ?? outcome.error).slice(0, 160)}`
      }
      const result = outcome.value
      if (!isObject(result)) return 'returned no proxy result'
      const { statusCode, headers, body, isBase64Encoded } = result
      if (typeof statusCode !== 'number' || !Number.isInteger(statusCode))
        return 'a statusCode that is not an integer'
      if (!isObject(headers) || !Object.values(headers).every((v) => typeof v === 'string')) {
        return 'headers that are not strings'
      }
      if (typeof body !== 'string') return 'a body that is not a string'
      if (typeof isBase64Encoded !== 'boolean') return 'no isBase64Encoded flag'
      const type = String(headers['content-type'] ?? '')
      const text =
        isBase64Encoded && TEXT.test(type) ? Buffer.from(body, 'base64').toString('utf8') : body
      return judgeHttp({
        status: statusCode,
        headers: headers as Record<string, string>,
        body: text,
      })
    }
    case 'sqs': {
      if (outcome.kind === 'threw')
        return `threw on an SQS batch: ${String((outcome.error as Error)?.message).slice(0, 160)}`
      const result = outcome.value
      if (!isObject(result) || !Array.isArray(result['batchItemFailures']))
        return 'no batch response'
      return undefined
    }
    case 'schedule': {
      if (outcome.kind === 'threw') return judgeThrown(outcome.error)
      const result = outcome.value
      if (!isObject(result) || typeof result['ok'] !== 'boolean') return 'no schedule result'
      const code = result['code']
      if (typeof code === 'string' && SERVER_FAULT_CODES.has(code))
        return `a scheduled run failed with ${code}`
      return undefined
    }
    case 'direct':
    case 'other': {
      if (outcome.kind === 'threw') return judgeThrown(outcome.error)
      if (item.kind === 'other') return 'an event of no known shape was not refused'
      const text = JSON.stringify(outcome.value) ?? ''
      return STACK_FRAME.test(text) ? 'stack frames in a direct result' : undefined
    }
  }
}
