import type { AccessPolicy } from '@servey/core'

/** Columns padded to their widest cell; the last column is left ragged. */
export function formatTable(headers: readonly string[], body: readonly string[][]): string {
  const rows = [[...headers], ...body]
  const widths = headers.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  )
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n')
}

/** The first line of a description: a table row holds one line. */
export function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? ''
}

/** A policy as data: a custom rule's predicate is code, so only its description is shown. */
export function accessData(policy: AccessPolicy): Record<string, unknown> {
  if (policy.kind === 'custom') return { kind: policy.kind, description: policy.description }
  return { ...policy }
}
