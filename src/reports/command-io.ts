/** Where a report command (verify-report, compare) writes, and the folder it was typed in: its scripts pass the process's, tests their own. */
export interface CommandIo {
  /** The folder the command was typed in (npm's INIT_CWD): relative paths are relative to it. */
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}
