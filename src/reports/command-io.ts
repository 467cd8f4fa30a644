import { UserError } from '../config/errors.ts';

/** Where a report command (verify-report, compare) writes, and the folder it was typed in: its scripts pass the process's, tests their own. */
export interface CommandIo {
  /** The folder the command was typed in (npm's INIT_CWD): relative paths are relative to it. */
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs a report command: a user mistake is one line on `err` and exit 2, a defect is thrown. */
export async function runReportCommand(run: (argv: string[], cwd: string, out: CommandIo['out']) => Promise<number>, argv: string[], io: CommandIo): Promise<number> {
  try {
    return await run(argv, io.cwd, io.out);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    io.err(`error: ${error.message}\n`);
    return 2;
  }
}
