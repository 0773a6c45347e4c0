import { describe, expect, it } from 'vitest'
import { displayOrigin, serverAddressFrom } from './server-address.ts'

describe('serverAddressFrom', () => {
  it('defaults to 127.0.0.1:8000', () => {
    expect(serverAddressFrom({}, {})).toEqual({ host: '127.0.0.1', port: 8000 })
    expect(serverAddressFrom({}, { PORT: '', HOST: '' })).toEqual({ host: '127.0.0.1', port: 8000 })
  })

  it('takes flags over PORT and HOST', () => {
    const env = { PORT: '3000', HOST: '0.0.0.0' }
    expect(serverAddressFrom({}, env)).toEqual({ host: '0.0.0.0', port: 3000 })
    expect(serverAddressFrom({ port: '0', host: '::1' }, env)).toEqual({ host: '::1', port: 0 })
  })

  it('rejects ports that are not whole numbers in range, naming their source', () => {
    expect(() => serverAddressFrom({ port: '80a' }, {})).toThrow("Invalid port '80a' (from --port)")
    expect(() => serverAddressFrom({}, { PORT: '70000' })).toThrow(
      "Invalid port '70000' (from PORT)",
    )
    expect(() => serverAddressFrom({}, { PORT: '-1' })).toThrow(
      /SERVEY_ERR_CLI_PORT_INVALID|Invalid port/,
    )
  })
})

describe('displayOrigin', () => {
  it('shows wildcard hosts as localhost and brackets IPv6', () => {
    expect(displayOrigin('127.0.0.1', 8000)).toBe('http://127.0.0.1:8000')
    expect(displayOrigin('0.0.0.0', 80)).toBe('http://localhost:80')
    expect(displayOrigin('::', 80)).toBe('http://localhost:80')
    expect(displayOrigin('::1', 80)).toBe('http://[::1]:80')
  })
})
