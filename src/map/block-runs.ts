/**
 * What a picture draws of a heap's blocks when there are too many to draw one by one: blocks narrower than a
 * threshold are gathered, with their neighbours, into runs, each drawn as one element shaded by the share of its
 * bytes in use. A block at least as wide as the threshold is still drawn alone, and so is a tiny block with no tiny
 * neighbour, so the picture loses only what is too small to see at its scale.
 */
import type { BlockInfo } from "../allocator/contract.js";
import type { MemoryMap } from "./memory-map.js";

/** A block drawn alone: it spans `start` (its header, if it has one) to `end`. */
export interface SingleBlock {
  kind: "block";
  block: BlockInfo;
  start: number;
  end: number;
}

/** Neighbouring blocks drawn as one. */
export interface BlockRun {
  kind: "run";
  start: number;
  end: number;
  blocks: number;
  usedBlocks: number;
  /** Usable bytes of the run's used blocks. */
  usedBytes: number;
}

export type DrawnBlocks = SingleBlock | BlockRun;

/**
 * The blocks of `map` in address order, those spanning fewer than `threshold` bytes gathered into runs of at least
 * that many bytes (the last run of a stretch may be shorter). A threshold of 0 draws every block alone.
 */
export function blockRuns(map: MemoryMap, threshold: number): DrawnBlocks[] {
  const drawn: DrawnBlocks[] = [];
  const { blocks, blockOverhead } = map;
  const { ptrs, sizes, used } = blocks;
  let run: BlockRun | null = null;
  /** The index of the current run's first block, drawn alone if the run ends with it. */
  let first = 0;
  const close = (): void => {
    if (run === null) return;
    drawn.push(run.blocks === 1 ? single(map, first) : run);
    run = null;
  };
  for (let index = 0; index < blocks.length; index++) {
    const ptr = ptrs[index] as number;
    const size = sizes[index] as number;
    const start = ptr - blockOverhead;
    const end = ptr + size;
    if (run !== null && run.end !== start) close();
    if (end - start >= threshold) {
      close();
      drawn.push(single(map, index));
      continue;
    }
    if (run === null) {
      run = { kind: "run", start, end, blocks: 0, usedBlocks: 0, usedBytes: 0 };
      first = index;
    }
    run.end = end;
    run.blocks++;
    if (used[index] === 1) {
      run.usedBlocks++;
      run.usedBytes += size;
    }
    if (run.end - run.start >= threshold) close();
  }
  close();
  return drawn;
}

/**
 * The blocks drawn at the smallest threshold that brings their elements to at most `budget`, and that threshold: 0 when
 * every block fits, else a power of two of bytes. `bytesPerPixel` is where the search starts, as blocks below a pixel
 * are invisible anyway.
 */
export function blockRunsWithin(
  map: MemoryMap,
  budget: number,
  bytesPerPixel: number,
): { threshold: number; drawn: DrawnBlocks[] } {
  if (map.blocks.length <= budget) return { threshold: 0, drawn: blockRuns(map, 0) };
  let threshold = Math.max(16, bytesPerPixel);
  let drawn = blockRuns(map, threshold);
  while (drawn.length > budget && threshold < map.memorySize) {
    threshold *= 2;
    drawn = blockRuns(map, threshold);
  }
  return { threshold, drawn };
}

function single(map: MemoryMap, index: number): SingleBlock {
  const block = map.blocks.at(index);
  return { kind: "block", block, start: block.ptr - map.blockOverhead, end: block.ptr + block.size };
}
