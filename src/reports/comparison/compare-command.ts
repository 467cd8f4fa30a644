/**
 * `npm run compare` (scripts/compare.ts is its entry point). What it does and its exit codes are
 * described at the top of that script and in docs/evidence.md.
 */
import { parseArgs } from 'node:util';
import { UserError } from '../../config/errors.ts';
import { runReportCommand, type CommandIo } from '../command-io.ts';
import { resolveRun } from '../runs/run-reference.ts';
import { comparisonLines } from './comparison-table.ts';
import { compareRuns, parseTolerance } from './run-comparison.ts';

const USAGE = 'usage: npm run compare -- <baseline run> <run> [--tolerance 10%] [--json] [--reports-dir DIR]';
const DEFAULT_TOLERANCE = '10%';

async function run(argv: string[], cwd: string, out: (text: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: { tolerance: { type: 'string' }, json: { type: 'boolean' }, 'reports-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  if (parsed.values.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length !== 2) throw new UserError(`name two runs, the baseline first (got ${parsed.positionals.length}); ${USAGE}`);
  const toleranceText = parsed.values.tolerance ?? DEFAULT_TOLERANCE;
  const tolerance = parseTolerance(toleranceText);
  if (tolerance === undefined) throw new UserError(`--tolerance "${toleranceText}" is not a percentage (e.g. 10%)`);
  const reportsDir = parsed.values['reports-dir'] ?? 'reports';
  const [before, after] = await Promise.all(parsed.positionals.map((reference) => resolveRun(reference, { cwd, reportsDir })));
  if (before!.run.tier !== null && after!.run.tier !== null && before!.run.tier !== after!.run.tier) {
    throw new UserError(`"${before!.reference}" is a run of tier ${before!.run.tier}, "${after!.reference}" of tier ${after!.run.tier}: compare two runs of one tier`);
  }
  const comparison = compareRuns(before!, after!, tolerance);
  out(parsed.values.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${comparisonLines(comparison).join('\n')}\n`);
  return comparison.regressions.length > 0 ? 1 : 0;
}

/** `npm run compare`: a user mistake is one line on `err` and exit 2, a defect is thrown. */
export function compareCommand(argv: string[], io: CommandIo): Promise<number> {
  return runReportCommand(run, argv, io);
}
