/** The `linmem` command: reads the command line, runs the command, and says clearly what went wrong, if anything. */

import type { Contender } from "../bench/contender.js";
import { CONTENDERS } from "../bench/contenders.js";
import { benchCommand } from "./bench-command.js";
import { defaultReplayContender } from "./choose.js";
import { demo } from "./demo-command.js";
import type { CommandIo } from "./io.js";
import { mapCommand } from "./map-command.js";
import { replayCommand } from "./replay-command.js";
import { benchHelp, generalHelp, mapHelp, replayHelp, viewHelp } from "./usage.js";
import { UsageError } from "./usage-error.js";
import { packageVersion } from "./version.js";
import { viewCommand } from "./view-command.js";

/**
 * Runs `linmem` with the arguments after the program's name. Resolves to the exit status: 0 when all went well, 1
 * when the work failed (an unreadable trace, an allocator that lost a byte), 2 for a command line it cannot follow.
 */
export async function run(
  argv: readonly string[],
  io: CommandIo,
  contenders: readonly Contender[] = CONTENDERS,
): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "bench":
        return await benchCommand(args, io, contenders);
      case "replay":
        return await replayCommand(args, io, contenders);
      case "map":
        return mapCommand(args, io);
      case "view":
        return viewCommand(args, io);
      case "demo":
        if (args.length > 0) throw new UsageError(null, "demo takes no arguments");
        demo((line) => io.out(`${line}\n`));
        return 0;
      case "version":
      case "--version":
      case "-v":
        io.out(`linmem ${packageVersion()}\n`);
        return 0;
      case "help":
      case "--help":
      case "-h":
        io.out(help(args[0], contenders));
        return 0;
      case undefined:
        io.err(generalHelp());
        return 2;
      default:
        throw new UsageError(
          null,
          `unknown command "${command}"; the commands are bench, replay, map, view, demo and help`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const name = error.command === null ? "linmem" : `linmem ${error.command}`;
      io.err(
        `${name}: ${error.message}\nRun "linmem help${error.command === null ? "" : ` ${error.command}`}" for usage.\n`,
      );
      return 2;
    }
    io.err(`linmem ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

function help(command: string | undefined, contenders: readonly Contender[]): string {
  if (command === "bench") return benchHelp(contenders);
  if (command === "replay") return replayHelp(contenders, defaultReplayContender(contenders)?.name ?? "none");
  if (command === "map") return mapHelp();
  if (command === "view") return viewHelp();
  if (command === undefined) return generalHelp();
  throw new UsageError(null, `no help for "${command}"; the commands are bench, replay, map, view, demo and help`);
}
