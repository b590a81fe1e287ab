// A subcommand of the `yibiao` CLI. Each lives in its own file under commands/ and is listed in
// commands/index.ts; main.ts only dispatches.
export interface Command {
  readonly name: string;
  /** One line, shown by `yibiao help`. */
  readonly summary: string;
  /** Returns the process exit code. `argv` holds the arguments after the subcommand's name. */
  run(argv: string[]): Promise<number>;
}
