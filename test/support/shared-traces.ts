/**
 * The traces of real programs (jq, perl, sqlite), too large for the repository, which live beside it in
 * ../shared/traces. A test on one is skipped where the trace is absent, and says so: its note names the missing file,
 * and a warning on the standard error says it in the default report too.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { it } from "vitest";

/** The directory, found from this file's place in the repository, never from the machine's. */
export const SHARED_TRACES = fileURLToPath(new URL("../../../shared/traces/", import.meta.url));

export const SHARED_TRACE_NAMES = ["jq", "perl", "sqlite"] as const;
export type SharedTraceName = (typeof SHARED_TRACE_NAMES)[number];

/** The path of a shared trace, whether or not it is there. */
export function sharedTracePath(name: SharedTraceName): string {
  return `${SHARED_TRACES}${name}.trace.gz`;
}

/**
 * One test per shared trace, given the trace's path; where the trace is absent, the test is skipped with a note that
 * names it.
 */
export function itOnEachSharedTrace(
  title: (name: SharedTraceName) => string,
  test: (path: string) => void,
  timeout?: number,
): void {
  for (const name of SHARED_TRACE_NAMES) {
    const path = sharedTracePath(name);
    it(
      title(name),
      (context) => {
        if (!existsSync(path)) {
          const note = `../shared/traces/${name}.trace.gz is absent: the traces of real programs live beside the repository`;
          console.warn(`skipped: ${note}`);
          context.skip(note);
        }
        test(path);
      },
      timeout,
    );
  }
}
