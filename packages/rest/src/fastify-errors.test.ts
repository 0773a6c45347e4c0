import type { FastifyError } from 'fastify'
import { describe, expect, it } from 'vitest'
import { fromFastifyError } from './fastify-errors.ts'

const fastifyError = (statusCode: number, message: string, code = 'PLUGIN_ERR'): FastifyError =>
  Object.assign(new Error(message), { statusCode, code, name: 'FastifyError' }) as FastifyError

describe('fromFastifyError', () => {
  it.each([
    [400, 'BAD_REQUEST'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [405, 'METHOD_NOT_ALLOWED'],
    [408, 'REQUEST_TIMEOUT'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [429, 'TOO_MANY_REQUESTS'],
    [431, 'REQUEST_HEADER_FIELDS_TOO_LARGE'],
  ])("gives a plugin's %i the code core's table has for it: %s", (status, code) => {
    const error = fromFastifyError(fastifyError(status, 'from a plugin'))
    expect([error.status, error.code, error.message]).toEqual([status, code, 'from a plugin'])
  })

  it('keeps the status of a client error the table has no code for', () => {
    const error = fromFastifyError(fastifyError(418, "I'm a teapot"))
    expect([error.status, error.code]).toEqual([418, 'BAD_REQUEST'])
  })

  it('masks a server error', () => {
    const error = fromFastifyError(fastifyError(500, 'secret'))
    expect([error.status, error.code, error.expose]).toEqual([500, 'INTERNAL', false])
  })
})
