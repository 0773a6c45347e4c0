/** RFC 6901: a property name inside a JSON Pointer escapes `~` and `/`. */
export function pointerSegment(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1')
}
