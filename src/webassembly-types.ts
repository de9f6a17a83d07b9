/**
 * The parts of JavaScript's WebAssembly API that linmem's declarations name, typed here rather than through the DOM
 * library, which declares them in TypeScript: a project for Node alone has no such library, and the package's
 * declarations must type-check there as they do in a project for browsers. Each type is the least linmem needs, so
 * that the DOM library's type is one of them, and each is named after the WebAssembly object it stands for.
 */

/** A `WebAssembly.Memory`. */
export interface WebAssemblyMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

/** A compiled `WebAssembly.Module`, which linmem hands out to be instantiated and never looks into. */
export type WebAssemblyModule = object;

/** A `WebAssembly.Instance`. */
export interface WebAssemblyInstance {
  readonly exports: Record<string, unknown>;
}

/** A mutable `WebAssembly.Global` of type i32. */
export interface WebAssemblyGlobal {
  value: number;
}
