/**
 * The parts of JavaScript's WebAssembly API that linmem's declarations name, typed here rather than through the DOM
 * library, which declares them in TypeScript: a project for Node alone has no such library, and the package's
 * declarations must type-check there as they do in a project for browsers. Each type is the least linmem needs, such
 * that the DOM library's type and this one can be given for each other, and each is named after the WebAssembly
 * object it stands for.
 */

/** A `WebAssembly.Memory`. */
export interface WebAssemblyMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

/** A compiled `WebAssembly.Module`, which linmem hands out to be instantiated and never looks into. */
export type WebAssemblyModule = object;

/** A `WebAssembly.Global`; linmem's own, such as `trap_code`, hold an i32, a number. */
export interface WebAssemblyGlobal<T = number> {
  value: T;
}

/** A `WebAssembly.Table`. */
export interface WebAssemblyTable {
  readonly length: number;
  get(index: number): unknown;
  grow(delta: number, value?: unknown): number;
  set(index: number, value?: unknown): void;
}

/** What an instance exports, or a module imports, by name: a function, a global, a memory or a table. */
export type WebAssemblyValue =
  // biome-ignore lint/complexity/noBannedTypes: the DOM library's type for an exported function is Function, which no narrower type accepts.
  Function | WebAssemblyGlobal<unknown> | WebAssemblyMemory | WebAssemblyTable;

/** A `WebAssembly.Instance`. */
export interface WebAssemblyInstance {
  readonly exports: Record<string, WebAssemblyValue>;
}

/** The imports of a module, `WebAssembly.Imports`: by module name, then by name. */
export type WebAssemblyImports = Record<string, Record<string, WebAssemblyValue | number>>;
