/**
 * One canonical name per action, in snake_case; every other spelling derives from it, so a
 * name means the same thing in a URL, a GraphQL field, a CLI flag and a Lambda function.
 */
const VALID_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/

/** `sayHello` → `say_hello`, `HTTPServer` → `http_server`; snake_case passes through. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
}

export function isValidActionName(name: string): boolean {
  return VALID_NAME.test(name)
}

/** `say_hello` → `say-hello` (URLs). */
export function toKebabCase(name: string): string {
  return name.replaceAll('_', '-')
}

/** `say_hello` → `sayHello`, `generated_1` → `generated1` (GraphQL, JavaScript clients). */
export function toCamelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase())
}
