/**
 * The bytes a verified replay writes into each block: one byte value per block, different for neighbouring ids and
 * never 0 (the color of fresh memory), so that a block handed out twice, or written over by its neighbour, shows.
 */

/** The byte block `id` is filled with. */
export function blockByte(id: number): number {
  return (Math.imul(id, 0x9e3779b1) >>> 24) | 1;
}

/** The offset of the first byte of `bytes` that is not `expected`, or -1 when all of them are. */
export function firstChangedByte(bytes: Uint8Array, expected: number): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== expected) return i;
  return -1;
}
