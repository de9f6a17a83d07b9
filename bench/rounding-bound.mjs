// What power-of-two rounding alone costs a buddy heap: for each trace, the peak of the live bytes when every request
// is rounded up to its power of two (at least 16), over the peak of the live bytes as asked. A buddy heap's footprint
// can be no lower than this, whatever its layout. Run after `npm run build`:
//   node bench/rounding-bound.mjs traces/sample.trace.gz ../shared/traces/*.trace.gz
import { loadTrace } from "../dist/trace/load.js";
import { EVENT_FREE } from "../dist/trace/trace.js";

const MIN_BLOCK = 16;

/** The power of two at or above `size`, and at least the smallest block. */
function roundedSize(size) {
  return size <= MIN_BLOCK ? MIN_BLOCK : 2 ** (32 - Math.clz32(size - 1));
}

for (const path of process.argv.slice(2)) {
  const trace = loadTrace(path);
  const asked = new Float64Array(trace.blockCount);
  const rounded = new Float64Array(trace.blockCount);
  let live = 0;
  let liveRounded = 0;
  let peak = 0;
  let peakRounded = 0;
  for (let event = 0; event < trace.length; event++) {
    const id = trace.ids[event];
    // Whatever the event, the block's old size (0 for a new block) leaves the totals, and its new one joins them.
    live -= asked[id];
    liveRounded -= rounded[id];
    const size = trace.kinds[event] === EVENT_FREE ? 0 : trace.sizes[event];
    asked[id] = size;
    rounded[id] = trace.kinds[event] === EVENT_FREE ? 0 : roundedSize(size);
    live += asked[id];
    liveRounded += rounded[id];
    peak = Math.max(peak, live);
    peakRounded = Math.max(peakRounded, liveRounded);
  }
  console.log(`${trace.name}: peak live ${peak} B, rounded ${peakRounded} B, ${(peakRounded / peak).toFixed(3)}×`);
}
