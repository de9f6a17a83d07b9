/** Contenders made for the tests: one that breaks a block on purpose, one that is never available. */
import { arena } from "../../src/allocator/arena.js";
import { type Contender, ContenderUnavailable, linmemAllocator } from "../../src/bench/contender.js";
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
  description: "a peer whose package is not installed",
  origin: "peer",
  reusesMemory: true,
  async load() {
    throw new ContenderUnavailable("missing", "its package is not installed");
  },
};

/** The TypeScript arena, which frees nothing. */
export const arenaContender = linmemAllocator("arena", "the arena", arena, { reusesMemory: false });
