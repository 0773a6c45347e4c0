import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import { ActionError } from '../errors/action-error.ts'

/** Resolves a host name to every address it has, as `node:dns` `lookup(all)` does. */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>

export interface CallbackUrlPolicy {
  /**
   * Hosts (`receiver.internal`) or CIDRs (`10.0.0.0/8`, `127.0.0.1/32`) that callbacks may
   * reach although they are not public, e.g. from `SERVEY_CALLBACK_ALLOWED_HOSTS`.
   */
  readonly allowedHosts?: readonly string[]
  readonly resolve?: ResolveHost
}

const resolveWithDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address)

/** `SERVEY_CALLBACK_ALLOWED_HOSTS`: comma-separated hosts or CIDRs. */
export function parseAllowedHosts(value: string | undefined): string[] {
  if (value === undefined) return []
  return value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
}

function refused(detail: string): ActionError {
  return new ActionError('BAD_REQUEST', `Callback URL refused: ${detail}`)
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

function inAllowedCidr(address: string, allowed: readonly string[]): boolean {
  const parsed = ipaddr.process(address)
  for (const entry of allowed) {
    if (!entry.includes('/') && isIP(stripBrackets(entry)) === 0) continue
    try {
      const [range, bits] = entry.includes('/')
        ? ipaddr.parseCIDR(entry)
        : ipaddr.parseCIDR(`${stripBrackets(entry)}/${isIP(stripBrackets(entry)) === 4 ? 32 : 128}`)
      const candidate =
        range.kind() === parsed.kind()
          ? parsed
          : parsed.kind() === 'ipv4'
            ? (parsed as ipaddr.IPv4).toIPv4MappedAddress()
            : undefined
      if (candidate !== undefined && candidate.match([range, bits] as never)) return true
    } catch {
      // An entry that is neither a host nor a CIDR matches nothing.
    }
  }
  return false
}

/**
 * Only globally routable unicast addresses: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), unspecified, carrier-grade NAT, multicast, reserved and the IPv6
 * translation ranges are refused. IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  return ipaddr.process(address).range() === 'unicast'
}

/**
 * Every address the host resolves to, each checked; throws BAD_REQUEST when one is not
 * public and not allowed. Delivery calls it again and connects only to the addresses it
 * returns, so a DNS answer that changes after the check (rebinding) cannot redirect the call.
 */
export async function resolveCallbackHost(
  hostname: string,
  policy: CallbackUrlPolicy = {},
): Promise<string[]> {
  const allowed = policy.allowedHosts ?? []
  const host = stripBrackets(hostname.toLowerCase())
  const hostAllowed = allowed.includes(host)
  let addresses: readonly string[]
  if (isIP(host) !== 0) {
    addresses = [host]
  } else {
    try {
      addresses = await (policy.resolve ?? resolveWithDns)(host)
    } catch {
      throw refused(`host ${host} does not resolve`)
    }
    if (addresses.length === 0) throw refused(`host ${host} does not resolve`)
  }
  for (const address of addresses) {
    if (hostAllowed || isPublicAddress(address) || inAllowedCidr(address, allowed)) continue
    // A local receiver in development is the usual case: say which setting lets it through.
    const allow = `; to allow it, add ${host} to SERVEY_CALLBACK_ALLOWED_HOSTS (hosts or CIDRs, comma-separated)`
    throw refused(
      address === host
        ? `${address} is not a public address${allow}`
        : `${host} resolves to ${address}, which is not a public address${allow}`,
    )
  }
  return [...addresses]
}

/** Checks a callback URL before a job is accepted: http(s) only, and a public host. */
export async function checkCallbackUrl(raw: string, policy: CallbackUrlPolicy = {}): Promise<URL> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refused('it is not an absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(`only http and https are allowed, not ${url.protocol.slice(0, -1)}`)
  }
  if (url.username !== '' || url.password !== '') throw refused('it must not carry credentials')
  await resolveCallbackHost(url.hostname, policy)
  return url
}
