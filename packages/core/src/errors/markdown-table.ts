/**
 * Reads the tables and sections of a markdown document, so a test can hold a catalogue in code
 * and its reference page in step (fastify `test/internals/errors.test.js`). Test support only:
 * not exported from the package and not built. Another package that documents its own codes
 * copies this file next to its errors test rather than importing across package boundaries.
 */

/** A GitHub-flavoured markdown table and the headings it sits under. */
export interface MarkdownTable {
  /** The enclosing headings, outermost first: `['Errors', 'Definition errors', '@servey/core']`. */
  readonly headings: readonly string[]
  readonly columns: readonly string[]
  /** One record per body row, keyed by column name; cells as plain text (see `cellText`). */
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>
}

/** The lines under one heading, up to the next heading of any level. */
export interface MarkdownSection {
  /** The heading and those enclosing it, outermost first; empty before the first heading. */
  readonly headings: readonly string[]
  readonly text: string
}

interface Line {
  readonly text: string
  readonly kind: 'heading' | 'code' | 'text'
  /** The heading stack in force at this line (for a heading line, including itself). */
  readonly headings: readonly string[]
}

const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/
const FENCE = /^\s*(`{3,}|~{3,})/
const DELIMITER_ROW = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/

/** Classify every line; `#` inside fenced code is not a heading and `|` there is not a table. */
function readLines(markdown: string): Line[] {
  const lines: Line[] = []
  let headings: string[] = []
  let fence: string | undefined
  for (const text of markdown.split(/\r?\n/)) {
    const fenceMark = FENCE.exec(text)?.[1]
    if (fence !== undefined || fenceMark !== undefined) {
      if (fence === undefined) fence = fenceMark
      else if (fenceMark !== undefined && fenceMark.startsWith(fence)) fence = undefined
      lines.push({ text, kind: 'code', headings })
      continue
    }
    const heading = HEADING.exec(text)
    if (heading !== null) {
      const level = (heading[1] as string).length
      // Skipped levels (`#` then `###`) leave no empty entries behind.
      headings = [...headings.slice(0, level - 1), heading[2] as string]
      lines.push({ text, kind: 'heading', headings })
      continue
    }
    lines.push({ text, kind: 'text', headings })
  }
  return lines
}

/** Split one table row into cells, honouring `\|` escapes. */
function splitRow(row: string): string[] {
  const cells: string[] = []
  let current = ''
  for (let i = 0; i < row.length; i += 1) {
    const char = row[i]
    if (char === '\\' && row[i + 1] === '|') {
      current += '|'
      i += 1
    } else if (char === '|') {
      cells.push(current)
      current = ''
    } else {
      current += char
    }
  }
  cells.push(current)
  // `| a | b |` leaves empty text before the first pipe and after the last one.
  if (row.trimStart().startsWith('|')) cells.shift()
  if (row.trimEnd().endsWith('|') && !row.trimEnd().endsWith('\\|')) cells.pop()
  return cells.map((cell) => cell.trim())
}

/** A cell as plain text: one surrounding code span removed, so `` `404` `` reads `404`. */
export function cellText(cell: string): string {
  const match = /^`([^`]*)`$/.exec(cell.trim())
  return match === null ? cell.trim() : (match[1] as string)
}

const isRow = (line: Line | undefined): line is Line =>
  line?.kind === 'text' && line.text.includes('|')

/** Every table of a document, in order. */
export function parseMarkdownTables(markdown: string): MarkdownTable[] {
  const lines = readLines(markdown)
  const tables: MarkdownTable[] = []
  for (let i = 0; i + 1 < lines.length; i += 1) {
    const header = lines[i]
    const delimiter = lines[i + 1]
    if (!isRow(header) || delimiter?.kind !== 'text' || !DELIMITER_ROW.test(delimiter.text))
      continue
    const columns = splitRow(header.text)
    const rows: Array<Record<string, string>> = []
    let next = i + 2
    for (let line = lines[next]; isRow(line); line = lines[(next += 1)]) {
      const cells = splitRow(line.text)
      rows.push(
        Object.fromEntries(columns.map((column, index) => [column, cellText(cells[index] ?? '')])),
      )
    }
    tables.push({ headings: header.headings, columns, rows })
    i = next - 1
  }
  return tables
}

/** Every section of a document, the text before the first heading included. */
export function parseMarkdownSections(markdown: string): MarkdownSection[] {
  const sections: Array<{ headings: readonly string[]; lines: string[] }> = [
    { headings: [], lines: [] },
  ]
  for (const line of readLines(markdown)) {
    if (line.kind === 'heading') sections.push({ headings: line.headings, lines: [] })
    else sections[sections.length - 1]?.lines.push(line.text)
  }
  return sections.map(({ headings, lines }) => ({ headings, text: lines.join('\n') }))
}
