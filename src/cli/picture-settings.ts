/** The command lines of `linmem map` and `linmem view`, read into settings: every value checked, every mistake named. */
import { parseArgs } from "node:util";
import { DEFAULT_HEAP_BASE } from "../allocator/contract.js";
import { ALIGNMENT, MAX_ALLOCATION } from "../allocator/size.js";
import { MAPPABLE_NAMES } from "../map/allocators.js";
import { oneOf, oneTrace, parsing, wholeNumber } from "./settings.js";
import { UsageError } from "./usage-error.js";

/** The allocators `linmem view` shows when none is named. */
export const DEFAULT_VIEW_ALLOCATORS: readonly string[] = ["tlsf", "buddy"];
export const DEFAULT_MAP_ALLOCATOR = "tlsf";

export interface MapSettings {
  help: boolean;
  file: string;
  allocator: string;
  /** Events to replay before drawing, or null for the whole trace. */
  at: number | null;
  /** Where to write the SVG picture. */
  svg: string;
  heapBase: number;
}

export interface ViewSettings {
  help: boolean;
  file: string;
  allocators: string[];
  /** Where to write the page. */
  out: string;
  heapBase: number;
}

export function mapSettings(args: string[]): MapSettings {
  const { values, positionals } = parsing("map", () =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        allocator: { type: "string" },
        at: { type: "string" },
        svg: { type: "string" },
        "heap-base": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }),
  );
  const help = values.help === true;
  const settings: MapSettings = {
    help,
    file: positionals[0] ?? "",
    allocator: oneOf("map", "--allocator", values.allocator ?? DEFAULT_MAP_ALLOCATOR, MAPPABLE_NAMES),
    at: values.at === undefined ? null : wholeNumber("map", "--at", values.at, [0, 0xffff_ffff]),
    svg: values.svg ?? "",
    heapBase: heapBase("map", values["heap-base"]),
  };
  if (help) return settings;
  oneTrace("map", positionals);
  if (values.svg === undefined) throw new UsageError("map", "name the picture to write: --svg FILE.svg");
  if (!settings.svg.endsWith(".svg"))
    throw new UsageError("map", `--svg writes SVG: name a .svg file, not "${settings.svg}"`);
  return settings;
}

export function viewSettings(args: string[]): ViewSettings {
  const { values, positionals } = parsing("view", () =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        allocator: { type: "string", multiple: true },
        out: { type: "string" },
        "heap-base": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }),
  );
  const help = values.help === true;
  const named = (values.allocator ?? []).flatMap((list) => list.split(",").map((name) => name.trim()));
  const allocators = [...new Set(named.filter((name) => name !== ""))].map((name) =>
    oneOf("view", "--allocator", name, MAPPABLE_NAMES),
  );
  const settings: ViewSettings = {
    help,
    file: positionals[0] ?? "",
    allocators: allocators.length === 0 ? [...DEFAULT_VIEW_ALLOCATORS] : allocators,
    out: values.out ?? "",
    heapBase: heapBase("view", values["heap-base"]),
  };
  if (help) return settings;
  oneTrace("view", positionals);
  if (values.out === undefined) throw new UsageError("view", "name the page to write: --out FILE.html");
  if (!/\.html?$/.test(settings.out))
    throw new UsageError("view", `--out writes HTML: name a .html file, not "${settings.out}"`);
  return settings;
}

/** The heap's base: a multiple of 8 from 8 up, the bytes below it from 8 standing for static data. */
function heapBase(command: string, text: string | undefined): number {
  if (text === undefined) return DEFAULT_HEAP_BASE;
  const value = wholeNumber(command, "--heap-base", text, [ALIGNMENT, MAX_ALLOCATION]);
  if (value % ALIGNMENT !== 0) {
    throw new UsageError(command, `--heap-base expects a multiple of ${ALIGNMENT}, got "${text}"`);
  }
  return value;
}
