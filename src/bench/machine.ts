/** The machine a benchmark ran on, for its report: figures mean little without it. */
import { arch, availableParallelism, cpus, loadavg, platform } from "node:os";

export interface Machine {
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  /** The load average over the minute before the benchmark began: other work on the machine skews the times. */
  load: number;
}

export function thisMachine(): Machine {
  return {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    platform: `${platform()} ${arch()}`,
    load: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** "Node v20.20.2 on AMD EPYC, 2 cores, linux x64 (load 0.12)". */
export function describeMachine(machine: Machine): string {
  return `Node ${machine.node} on ${machine.cpu}, ${machine.cores} cores, ${machine.platform} (load ${machine.load})`;
}
