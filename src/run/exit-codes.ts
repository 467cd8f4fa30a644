/**
 * Stable exit codes (documented in the README). CI gates on "did anything break" (0 vs 1);
 * release managers add --require-certificate and also gate on completeness (3).
 */
export const ExitCode = {
  /** Every evaluated guarantee passed (with --require-certificate: the tier is CERTIFIED). */
  ok: 0,
  /** At least one guarantee failed. */
  failed: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** Nothing was evaluated, or --require-certificate was given and the tier is not CERTIFIED. */
  incomplete: 3,
  /** The target could not be started or reached. */
  environmentUnavailable: 4,
  /** A defect of this tool (its stack trace is printed): please report it. */
  internalError: 70,
  /** Interrupted by SIGINT / SIGTERM (128 + 2). */
  interrupted: 130,
} as const;
