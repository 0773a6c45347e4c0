import {
  describeAccess,
  type Registry,
  type RegisteredChannel,
  type RegisteredHandler,
} from '@servey/core'
import { accessData, firstLine, formatTable } from './text-table.ts'

const HEADERS = ['CHANNEL', 'KIND', 'ACCESS', 'PUBLISHED BY', 'HANDLERS', 'DESCRIPTION'] as const

/**
 * What a channel is: every channel is a websocket/SSE channel clients may subscribe to; its
 * server-side handlers add background actions and webhooks.
 */
export function channelKinds(channel: RegisteredChannel): string[] {
  const kinds = ['websocket']
  if (channel.handlers.some((handler) => handler.kind === 'action')) kinds.push('background action')
  if (channel.handlers.some((handler) => handler.kind === 'webhook')) kinds.push('webhook')
  return kinds
}

/** `g0 record_order`, `g1 ship_express [filter]`, `g0 webhook https://hooks.example.com [stop]`. */
function describeHandler(handler: RegisteredHandler): string {
  const target =
    handler.kind === 'webhook' ? `webhook ${new URL(handler.url).origin}` : handler.actionName
  const marks = [
    ...(handler.filter === undefined ? [] : ['filter']),
    ...(handler.stop === false ? [] : [handler.stop === true ? 'stop' : 'stop if']),
  ]
  return `g${handler.group} ${target}${marks.length === 0 ? '' : ` [${marks.join(', ')}]`}`
}

/** The actions that declare `publishes` with this channel (undeclared publishers are unknown). */
function publishedBy(registry: Registry, channel: RegisteredChannel): string[] {
  return registry.publishersOf(channel.name).map((action) => action.name)
}

/** The rows of the channels table of `servey actions`, one per channel, in name order. */
export function channelRows(registry: Registry): string[][] {
  return registry.channels.map((channel) => [
    channel.name,
    channelKinds(channel).join(', '),
    describeAccess(channel.definition.access),
    publishedBy(registry, channel).join(', ') || '-',
    channel.handlers.length === 0 ? '-' : channel.handlers.map(describeHandler).join('; '),
    firstLine(channel.definition.description),
  ])
}

export function formatChannelsTable(registry: Registry): string {
  return formatTable(HEADERS, channelRows(registry))
}

/** `servey actions --json`'s `channels`: everything the table shows, as data. */
export function channelsAsJson(registry: Registry): unknown[] {
  return registry.channels.map((channel) => ({
    name: channel.name,
    path: `/channels/${channel.kebabName}`,
    kinds: channelKinds(channel),
    description: channel.definition.description ?? null,
    access: accessData(channel.definition.access),
    filter: channel.definition.filter !== undefined,
    publishedBy: publishedBy(registry, channel),
    handlers: channel.handlers.map((handler) => ({
      kind: handler.kind,
      ...(handler.kind === 'webhook'
        ? { url: new URL(handler.url).origin }
        : { action: handler.actionName }),
      group: handler.group,
      filter: handler.filter !== undefined,
      stop: handler.stop === false ? false : handler.stop === true ? true : 'filter',
    })),
  }))
}
