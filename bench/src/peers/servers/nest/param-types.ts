import 'reflect-metadata'

/** A class, as TypeScript's decorator metadata records a parameter's type. */
type ParamType = abstract new (...args: never[]) => unknown

/**
 * The `design:paramtypes` metadata that tsc writes for a decorated method under
 * `emitDecoratorMetadata`, written out: the bench runs its TypeScript through tsx, whose
 * esbuild transform does not emit decorator metadata, and Nest's ValidationPipe finds the DTO
 * class of `@Body()` / `@Query()` there (without it, it validates nothing). Read once, when Nest
 * maps the route: it costs no request anything.
 */
export function paramTypes(...types: ParamType[]): MethodDecorator {
  return Reflect.metadata('design:paramtypes', types)
}
