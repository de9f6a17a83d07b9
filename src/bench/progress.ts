/** How the benchmark tells how far it has got: a count of units of work done out of a total, and what it is doing. */
export interface Progress {
  start(total: number): void;
  update(done: number, doing: string): void;
  stop(): void;
}

/** Progress that shows nothing. */
export const SILENT_PROGRESS: Progress = {
  start() {},
  update() {},
  stop() {},
};
