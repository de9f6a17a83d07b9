/** What the command says about itself. */
import { DEFAULT_HEAP_BASE } from "../allocator/contract.js";
import type { Contender } from "../bench/contender.js";
import { describeUnavailable, unavailableAmong } from "../bench/requirement.js";
import { RING_DEFAULTS } from "../bench/ring.js";
import { wrapText } from "../bench/wrap.js";
import { MAPPABLE_NAMES } from "../map/allocators.js";
import { ELEMENT_BUDGET } from "../map/svg.js";
import { availableContenders } from "./choose.js";
import { DEFAULT_MAP_ALLOCATOR, DEFAULT_VIEW_ALLOCATORS } from "./picture-settings.js";
import { DEFAULT_RUNS, DEFAULT_THREADS, DEFAULT_TIME_LIMIT } from "./settings.js";

export function generalHelp(): string {
  return `Usage: linmem <command> [options]

Which allocator should a program use, and what does it cost? linmem measures its allocators, and others, on
workloads and on traces of real programs.

Commands:
  bench    measure allocators: time per operation, footprint and correctness, per workload
  replay   replay one trace on one allocator, verifying every block, optionally check() after every event
  map      draw the heap after an event of a trace, to scale, as an SVG picture
  view     write a page that replays a trace in a browser: heap maps, timeline, any event
  demo     a tour of the memory model: static data and an arena, printed step by step
  help     this text, or a command's: linmem help bench

Options:
  -v, --version  linmem's version
  -h, --help     this text

Run "linmem help <command>" for a command's options.
`;
}

export function benchHelp(contenders: readonly Contender[]): string {
  const ring = RING_DEFAULTS;
  return `Usage: linmem bench [options]

Runs each allocator on each workload: once with every block's bytes written and verified (footprint, correctness),
then several timed runs, interleaved between allocators (time per operation: median, min and max).

Options:
  --workload KIND           ring, trace or threads; repeatable (default: ring and trace, or threads alone
                            when --threads is given)
  --trace FILE|DIR          a trace to replay, gzip-compressed or plain; a directory gives each *.trace and
                            *.trace.gz in it; repeatable (default: the repository's sample trace, where it is
                            present; the package does not ship it)
  --allocators LIST         comma-separated (default: all): ${names(contenders)}
  --runs N                  timed runs per allocator and workload (default ${DEFAULT_RUNS})
  --format FORMAT           table, json or markdown (default table)
  --chart FILE.svg          also draw the figures as an SVG chart
  --ring-live LIST          blocks live at once in the ring; comma-separated for several rings (default ${ring.liveBlocks})
  --ring-steps N            steps of the ring, each freeing the oldest block and allocating one (default ${ring.steps})
  --ring-sizes MIN..MAX     the ring's block sizes in bytes (default ${ring.minSize}..${ring.maxSize})
  --seed N                  the seed of the ring's sizes (default ${ring.seed})
  --time-limit SECONDS      leave an allocator out of a workload when its verified run takes longer
                            (default ${DEFAULT_TIME_LIMIT})
  --in-process              run every allocator in this process, rather than each in a worker thread of its own
                            (where they share one JIT and one garbage collector, and disturb each other)
  --threads LIST            the threads workload's thread counts, comma-separated (default ${DEFAULT_THREADS.join(",")}):
                            linmem's allocators on one shared heap, each thread in a worker doing ring steps
                            (the first --ring-live ring each, --ring-steps a round), independently and as
                            producers and consumers (every block freed by another thread); and one thread alone,
                            on a shared and on an unshared memory
  -h, --help                this text

An allocator whose bytes do not survive, or that throws, fails: the exit status is then 1.
${unavailableNote(contenders)}`;
}

export function replayHelp(contenders: readonly Contender[], defaultAllocator: string): string {
  return `Usage: linmem replay FILE [options]

Replays an allocation trace (lines "a ID SIZE", "m ID ALIGN SIZE", "r ID SIZE", "f ID"; gzip-compressed or plain)
on one allocator. Every block's bytes are written when it is allocated and verified when it is resized or freed
and at the end; the first divergence is reported with its event.

Options:
  --allocator NAME          one of: ${names(contenders)} (default ${defaultAllocator})
  --check                   run the heap's check() after every event (slow, thorough)
  --format FORMAT           table or json (default table)
  -h, --help                this text
${unavailableNote(contenders)}`;
}

/** The names of the allocators available here. */
function names(contenders: readonly Contender[]): string {
  return availableContenders(contenders)
    .map(({ name }) => name)
    .join(", ");
}

/** A paragraph on the allocators not available here and what they need, or nothing. */
function unavailableNote(contenders: readonly Contender[]): string {
  const note = describeUnavailable(unavailableAmong(contenders));
  return note === null ? "" : `\n${wrapText(note, 116).join("\n")}\n`;
}

export function mapHelp(): string {
  return `Usage: linmem map FILE --svg FILE.svg [options]

Replays an allocation trace up to an event and draws the heap's whole linear memory, to scale by address: the null
reserve, static data, the heap's header and the allocator's state, and every block, used or free, with the heap's
figures. Every block drawn is an element with data-ptr, data-size and data-state; a heap of more than
${ELEMENT_BUDGET.toLocaleString("en-US")} blocks has its smallest blocks drawn in runs, as the picture says.

Options:
  --svg FILE.svg            where to write the picture
  --allocator NAME          one of: ${MAPPABLE_NAMES.join(", ")} (default ${DEFAULT_MAP_ALLOCATOR})
  --at N                    the heap after the first N events (default: all of them)
  --heap-base N             where the heap begins, a multiple of 8; the bytes from 8 up to it are static data
                            (default ${DEFAULT_HEAP_BASE})
  -h, --help                this text
`;
}

export function viewHelp(): string {
  return `Usage: linmem view FILE --out FILE.html [options]

Writes one HTML page that replays an allocation trace in a browser with linmem's allocators, side by side: a map of
each heap, a timeline of live bytes, footprint and memory size, play and pause, and any event a click away. The page
needs nothing else and makes no request: the trace and the script are inside it. Its address keeps the allocator and
event shown: FILE.html#allocator=tlsf&event=1234.

Options:
  --out FILE.html           where to write the page
  --allocator NAME          an allocator to show, repeatable or comma-separated: ${MAPPABLE_NAMES.join(", ")}
                            (default ${DEFAULT_VIEW_ALLOCATORS.join(" and ")})
  --heap-base N             where the heap begins, a multiple of 8 (default ${DEFAULT_HEAP_BASE})
  -h, --help                this text
`;
}
