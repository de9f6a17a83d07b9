/**
 * The allocator modules' bytes, as the package ships them: embedded base64 in generated/allocator-modules.ts, which
 * `npm run build` writes from assembly/*.ts. Embedding needs no file access, so the same code loads them in Node and
 * in browsers.
 */
import type { WebAssemblyModule } from "../webassembly-types.js";
import { ALLOCATOR_MODULES } from "./generated/allocator-modules.js";

/** The name of an allocator module: the name of its source in assembly/. */
export type AllocatorModuleName = keyof typeof ALLOCATOR_MODULES;

/** Every allocator module the package ships. */
export const ALLOCATOR_MODULE_NAMES = Object.keys(ALLOCATOR_MODULES) as AllocatorModuleName[];

/** Throws a RangeError unless `name` names an allocator module: for callers that do not type-check. */
export function requireModuleName(name: string): asserts name is AllocatorModuleName {
  if (!Object.hasOwn(ALLOCATOR_MODULES, name)) {
    throw new RangeError(`no allocator module "${name}": there are ${ALLOCATOR_MODULE_NAMES.join(", ")}`);
  }
}

/** A fresh copy of an allocator module's bytes, to compile, save or link as a host sees fit. */
export function allocatorModuleBytes(name: AllocatorModuleName): Uint8Array<ArrayBuffer> {
  requireModuleName(name);
  const text = atob(ALLOCATOR_MODULES[name]);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const compiled = new Map<AllocatorModuleName, Promise<WebAssemblyModule>>();

/** An allocator module, compiled once and shared by every instance. */
export function allocatorModule(name: AllocatorModuleName): Promise<WebAssemblyModule> {
  let module = compiled.get(name);
  if (module === undefined) {
    module = WebAssembly.compile(allocatorModuleBytes(name));
    compiled.set(name, module);
  }
  return module;
}
