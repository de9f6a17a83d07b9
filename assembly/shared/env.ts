/**
 * What the shared builds import from their host besides their memory: AssemblyScript imports the functions declared in
 * a file from the module of the file's name, `env`.
 */

/** A monotonic clock, in milliseconds: `performance.now` in JavaScript. */
export declare function now(): f64;
