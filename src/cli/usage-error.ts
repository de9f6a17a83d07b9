/** A command line that cannot be followed: what is wrong, and the command whose help explains it. */
export class UsageError extends Error {
  /** The command ("bench", "replay"), or null for the command line as a whole. */
  readonly command: string | null;

  constructor(command: string | null, message: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}
