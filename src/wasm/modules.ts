/**
 * The allocator modules' bytes, as the package ships them: embedded base64 in generated/allocator-modules.ts, which
 * `npm run build` writes from assembly/*.ts. Embedding needs no file access, so the same code loads them in Node and
 * in browsers.
 *
 * Each module comes in three builds: for an unshared memory, compiled for size; the same compiled for speed (`fast`),
 * its helpers inlined, about 1.2 to 3 times the size (docs/linking.md); and for a memory shared between threads
 * (`shared`), whose every entry point takes the heap's lock (assembly/threads/, docs/threads.md).
 */
import type { WebAssemblyModule } from "../webassembly-types.js";
import { ALLOCATOR_MODULES, FAST_ALLOCATOR_MODULES, SHARED_ALLOCATOR_MODULES } from "./generated/allocator-modules.js";

/** The name of an allocator module: the name of its source in assembly/. */
export type AllocatorModuleName = keyof typeof ALLOCATOR_MODULES;

/** Every allocator module the package ships. */
export const ALLOCATOR_MODULE_NAMES = Object.keys(ALLOCATOR_MODULES) as AllocatorModuleName[];

export interface ModuleBuildOptions {
  /** The shared build, for a shared memory: it imports `env.memory` shared, and `env.now`. Default false. */
  shared?: boolean;
  /** The fast build, for an unshared memory: the same module compiled for speed. Default false. */
  fast?: boolean;
}

/** Throws a RangeError unless `name` names an allocator module: for callers that do not type-check. */
export function requireModuleName(name: string): asserts name is AllocatorModuleName {
  if (!Object.hasOwn(ALLOCATOR_MODULES, name)) {
    throw new RangeError(`no allocator module "${name}": there are ${ALLOCATOR_MODULE_NAMES.join(", ")}`);
  }
}

/** A fresh copy of an allocator module's bytes, to compile, save or link as a host sees fit. */
export function allocatorModuleBytes(
  name: AllocatorModuleName,
  options: ModuleBuildOptions = {},
): Uint8Array<ArrayBuffer> {
  requireModuleName(name);
  const text = atob(buildsOf(options)[name]);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Every module's bytes in the build `options` name. */
function buildsOf(options: ModuleBuildOptions): Record<AllocatorModuleName, string> {
  if (options.shared === true && options.fast === true) {
    throw new RangeError("there is no fast shared build: a shared build spends its time on the heap's lock");
  }
  if (options.shared === true) return SHARED_ALLOCATOR_MODULES;
  return options.fast === true ? FAST_ALLOCATOR_MODULES : ALLOCATOR_MODULES;
}

const compiled = new Map<string, Promise<WebAssemblyModule>>();

/** An allocator module, compiled once and shared by every instance. */
export function allocatorModule(
  name: AllocatorModuleName,
  options: ModuleBuildOptions = {},
): Promise<WebAssemblyModule> {
  const key = `${name}${options.shared === true ? " shared" : ""}${options.fast === true ? " fast" : ""}`;
  let module = compiled.get(key);
  if (module === undefined) {
    module = WebAssembly.compile(allocatorModuleBytes(name, options));
    compiled.set(key, module);
  }
  return module;
}
