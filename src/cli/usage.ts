/** What the command says about itself. */
import type { Contender } from "../bench/contender.js";
import { describeUnavailable, unavailableAmong } from "../bench/requirement.js";
import { RING_DEFAULTS } from "../bench/ring.js";
import { wrapText } from "../bench/wrap.js";
import { availableContenders } from "./choose.js";
import { DEFAULT_RUNS, DEFAULT_TIME_LIMIT } from "./settings.js";

export function generalHelp(): string {
  return `Usage: linmem <command> [options]

Which allocator should a program use, and what does it cost? linmem measures its allocators, and others, on
workloads and on traces of real programs.

Commands:
  bench    measure allocators: time per operation, footprint and correctness, per workload
  replay   replay one trace on one allocator, verifying every block, optionally check() after every event
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
  --workload ring|trace     the workloads to run; repeatable (default: both)
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
