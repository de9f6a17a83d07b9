/**
 * Contenders made for the tests: one that breaks a block on purpose, one that is never available, one that does not
 * load.
 */
import { arena } from "../../src/allocator/arena.js";
import { type Contender, linmemAllocator } from "../../src/bench/contender.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { heapOf } from "../../src/trace/heap.js";

/**
 * An arena whose `allocate` flips the first byte of the block allocated just before, once `corruptAfter` blocks have
 * been handed out: the kind of bug byte verification exists to catch.
 */
export function corruptingContender(corruptAfter: number): Contender {
  return {
    name: "corrupting",
    description: "an arena that overwrites a live block",
    origin: "linmem",
    reusesMemory: true,
    requires: [],
    async load() {
      return () => {
        const allocator = arena(LinearMemory.create());
        const heap = heapOf(allocator);
        let allocated = 0;
        let previous = 0;
        return {
          ...heap,
          allocate(size) {
            const ptr = heap.allocate(size);
            if (++allocated === corruptAfter) allocator.memory.u8[previous] ^= 0xff;
            previous = ptr;
            return ptr;
          },
        };
      };
    },
  };
}

export const missingContender: Contender = {
  name: "missing",
  description: "a peer whose package is never installed",
  origin: "peer",
  reusesMemory: true,
  requires: [{ what: "its package", howToGet: "which nothing installs", isMet: () => false }],
  async load() {
    throw new Error("loaded although unavailable");
  },
};

export const unloadableContender: Contender = {
  name: "unloadable",
  description: "a peer whose module is broken",
  origin: "peer",
  reusesMemory: true,
  requires: [],
  async load() {
    throw new Error("the module is broken");
  },
};

/** The TypeScript arena, which frees nothing. */
export const arenaContender = linmemAllocator("arena", "the arena", arena, { reusesMemory: false });
