import { describe, expect, it, vi } from 'vitest'
import {
  checkCallbackUrl,
  isPublicAddress,
  parseAllowedHosts,
  resolveCallbackHost,
  type ResolveHost,
} from './callback-url.ts'

const fakeDns =
  (table: Record<string, readonly string[]>): ResolveHost =>
  (hostname) =>
    hostname in table ? Promise.resolve(table[hostname]!) : Promise.reject(new Error('ENOTFOUND'))

const refused = expect.objectContaining({ code: 'BAD_REQUEST', status: 400 })

describe('checkCallbackUrl', () => {
  it.each([
    ['http://127.0.0.1/cb'],
    ['http://127.9.9.9:8080/cb'],
    ['http://10.0.0.5/cb'],
    ['http://172.16.3.4/cb'],
    ['http://192.168.1.1/cb'],
    ['http://169.254.169.254/latest/meta-data/'],
    ['http://0.0.0.0/cb'],
    ['http://100.64.0.1/cb'],
    ['http://[::1]/cb'],
    ['http://[::]/cb'],
    ['http://[fe80::1]/cb'],
    ['http://[fc00::1]/cb'],
    ['http://[::ffff:127.0.0.1]/cb'],
    ['http://[::ffff:169.254.169.254]/cb'],
    ['http://2130706433/cb'],
    ['http://0x7f000001/cb'],
  ])('refuses %s', async (url) => {
    await expect(checkCallbackUrl(url)).rejects.toThrow(refused)
  })

  it('refuses a host name that resolves to a private address, checking every address', async () => {
    const resolve = fakeDns({
      'sneaky.example': ['93.184.216.34', '10.1.2.3'],
      'localhost.example': ['127.0.0.1'],
    })
    await expect(checkCallbackUrl('https://sneaky.example/cb', { resolve })).rejects.toThrow(
      /resolves to 10\.1\.2\.3/,
    )
    await expect(checkCallbackUrl('https://localhost.example/cb', { resolve })).rejects.toThrow(
      refused,
    )
    await expect(checkCallbackUrl('https://nowhere.example/cb', { resolve })).rejects.toThrow(
      /does not resolve/,
    )
  })

  it('names SERVEY_CALLBACK_ALLOWED_HOSTS, the setting that would let a local receiver through', async () => {
    await expect(checkCallbackUrl('http://127.0.0.1:9999/cb')).rejects.toThrow(
      'Callback URL refused: 127.0.0.1 is not a public address; to allow it, add 127.0.0.1 to SERVEY_CALLBACK_ALLOWED_HOSTS (hosts or CIDRs, comma-separated)',
    )
    await expect(checkCallbackUrl('http://localhost:9999/cb')).rejects.toThrow(
      /^Callback URL refused: localhost resolves to .*; to allow it, add localhost to SERVEY_CALLBACK_ALLOWED_HOSTS/,
    )
  })

  it('refuses localhost through the real resolver', async () => {
    await expect(checkCallbackUrl('http://localhost:9999/cb')).rejects.toThrow(refused)
  })

  it.each([
    ['ftp://example.com/x'],
    ['file:///etc/passwd'],
    ['javascript:alert(1)'],
    ['not a url'],
    ['https://user:pw@example.com/'],
  ])('refuses %s', async (url) => {
    await expect(checkCallbackUrl(url)).rejects.toThrow(refused)
  })

  it('accepts public addresses and hosts that resolve only to them', async () => {
    const resolve = fakeDns({
      'receiver.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    })
    expect((await checkCallbackUrl('https://receiver.example/cb?x=1', { resolve })).href).toBe(
      'https://receiver.example/cb?x=1',
    )
    expect((await checkCallbackUrl('http://93.184.216.34/cb')).hostname).toBe('93.184.216.34')
  })

  it('accepts hosts and CIDRs listed as allowed', async () => {
    const policy = {
      allowedHosts: parseAllowedHosts(' receiver.internal , 127.0.0.1/32,10.0.0.0/8, ::1'),
    }
    const resolve = fakeDns({ 'receiver.internal': ['192.168.5.5'] })
    await expect(
      checkCallbackUrl('http://receiver.internal:8080/cb', { ...policy, resolve }),
    ).resolves.toBeInstanceOf(URL)
    await expect(checkCallbackUrl('http://127.0.0.1:8080/cb', policy)).resolves.toBeInstanceOf(URL)
    await expect(checkCallbackUrl('http://10.20.30.40/cb', policy)).resolves.toBeInstanceOf(URL)
    await expect(checkCallbackUrl('http://[::1]:8080/cb', policy)).resolves.toBeInstanceOf(URL)
    await expect(checkCallbackUrl('http://127.0.0.2/cb', policy)).rejects.toThrow(refused)
    await expect(checkCallbackUrl('http://169.254.169.254/', policy)).rejects.toThrow(refused)
  })
})

describe('resolveCallbackHost', () => {
  it('returns the checked addresses, for delivery to connect to', async () => {
    const resolve = fakeDns({ 'a.example': ['93.184.216.34'] })
    expect(await resolveCallbackHost('a.example', { resolve })).toEqual(['93.184.216.34'])
  })
})

describe('isPublicAddress', () => {
  it('is true only for global unicast', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true)
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true)
    expect(isPublicAddress('224.0.0.1')).toBe(false)
    expect(isPublicAddress('255.255.255.255')).toBe(false)
    expect(isPublicAddress('not-an-ip')).toBe(false)
  })
})

// Each refusal below must come from the rule it names, not from a host that cannot resolve
// offline: the hosts are public IP literals, which need no DNS.
describe('checkCallbackUrl rules, each on its own', () => {
  it('refuses credentials in the URL, with or without a password', async () => {
    for (const url of ['https://user:pw@8.8.8.8/cb', 'https://user@8.8.8.8/cb']) {
      await expect(checkCallbackUrl(url)).rejects.toThrow(
        'Callback URL refused: it must not carry credentials',
      )
    }
    await expect(checkCallbackUrl('https://8.8.8.8/cb')).resolves.toBeInstanceOf(URL)
  })

  it('refuses every protocol but http and https, naming it', async () => {
    await expect(checkCallbackUrl('ftp://8.8.8.8/cb')).rejects.toThrow(
      'only http and https are allowed, not ftp',
    )
    await expect(checkCallbackUrl('ws://8.8.8.8/cb')).rejects.toThrow('not ws')
    await expect(checkCallbackUrl('http://8.8.8.8/cb')).resolves.toBeInstanceOf(URL)
  })

  it('refuses text that is not an absolute URL', async () => {
    await expect(checkCallbackUrl('/relative/cb')).rejects.toThrow('it is not an absolute URL')
  })
})

describe('resolveCallbackHost against allowed entries', () => {
  it('refuses a host whose DNS answer is empty', async () => {
    await expect(
      resolveCallbackHost('empty.example', { resolve: () => Promise.resolve([]) }),
    ).rejects.toThrow('host empty.example does not resolve')
  })

  it('matches an allowed IP against the address a name resolves to', async () => {
    const resolve = fakeDns({ 'svc.internal': ['10.0.0.5'], 'other.internal': ['10.0.0.6'] })
    const policy = { allowedHosts: ['10.0.0.5'], resolve }
    await expect(resolveCallbackHost('svc.internal', policy)).resolves.toEqual(['10.0.0.5'])
    await expect(resolveCallbackHost('other.internal', policy)).rejects.toThrow(
      'other.internal resolves to 10.0.0.6, which is not a public address',
    )
  })

  it('judges IPv4-mapped IPv6 against IPv4 entries, and IPv4 against mapped IPv6 ranges', async () => {
    const mapped = fakeDns({ 'mapped.internal': ['::ffff:10.1.2.3'], 'v4.internal': ['10.1.2.3'] })
    await expect(
      resolveCallbackHost('mapped.internal', { allowedHosts: ['10.0.0.0/8'], resolve: mapped }),
    ).resolves.toEqual(['::ffff:10.1.2.3'])
    await expect(
      resolveCallbackHost('v4.internal', {
        allowedHosts: ['::ffff:10.0.0.0/104'],
        resolve: mapped,
      }),
    ).resolves.toEqual(['10.1.2.3'])
    await expect(
      resolveCallbackHost('v4.internal', {
        allowedHosts: ['::ffff:11.0.0.0/104'],
        resolve: mapped,
      }),
    ).rejects.toThrow(refused)
  })

  it('allows every address of a host listed by name, and nothing else by that entry', async () => {
    const resolve = fakeDns({
      'box.internal': ['10.0.0.7', '192.168.0.7'],
      'x.internal': ['10.0.0.7'],
    })
    const policy = { allowedHosts: ['box.internal'], resolve }
    await expect(resolveCallbackHost('BOX.internal', policy)).resolves.toEqual([
      '10.0.0.7',
      '192.168.0.7',
    ])
    await expect(resolveCallbackHost('x.internal', policy)).rejects.toThrow(refused)
  })
})

describe('parseAllowedHosts', () => {
  it('reads nothing from an unset variable, and skips empty entries', () => {
    expect(parseAllowedHosts(undefined)).toEqual([])
    expect(parseAllowedHosts('')).toEqual([])
    expect(parseAllowedHosts(' A.Internal,, 10.0.0.0/8 ,')).toEqual(['a.internal', '10.0.0.0/8'])
  })
})

describe('resolveCallbackHost and its resolver', () => {
  it('never asks the resolver about an IP literal, bracketed or not', async () => {
    const resolve = vi.fn<ResolveHost>(() => Promise.resolve(['10.0.0.1']))
    await expect(resolveCallbackHost('8.8.8.8', { resolve })).resolves.toEqual(['8.8.8.8'])
    await expect(resolveCallbackHost('[2001:4860:4860::8888]', { resolve })).resolves.toEqual([
      '2001:4860:4860::8888',
    ])
    expect(resolve).not.toHaveBeenCalled()
  })

  it('strips only a full pair of brackets: any other name is looked up as written', async () => {
    const resolve = vi.fn<ResolveHost>(() => Promise.resolve(['8.8.8.8']))
    await resolveCallbackHost('[half.example', { resolve })
    await resolveCallbackHost('half.example]', { resolve })
    expect(resolve.mock.calls).toEqual([['[half.example'], ['half.example]']])
  })
})

describe('checkCallbackUrl messages', () => {
  it('names the refused protocol without its colon', async () => {
    await expect(checkCallbackUrl('ftp://8.8.8.8/cb')).rejects.toThrow(
      /^Callback URL refused: only http and https are allowed, not ftp$/,
    )
  })

  it('refuses a password without a user name', async () => {
    await expect(checkCallbackUrl('https://:pw@8.8.8.8/cb')).rejects.toThrow(
      'Callback URL refused: it must not carry credentials',
    )
  })
})
