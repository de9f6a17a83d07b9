/**
 * A fresh copy of a function, compiled anew from its source.
 *
 * V8 learns, per function in the source, what a function meets: the shapes of the objects, the functions it calls.
 * A timed loop shared by all contenders meets them all and ends up compiled for none in particular: its calls turn
 * generic, and each contender pays for what the others taught the loop. With a copy of its own, each contender's
 * loop is compiled for that contender alone, as it would be in a program that uses one allocator.
 *
 * The function must use nothing but its parameters and globals, as the copy is compiled in the global scope.
 */
export function freshCopy<F extends (...args: never[]) => unknown>(fn: F): F {
  return new Function(`return (${fn.toString()});`)() as F;
}
