// `npm run compare -- <baseline run> <run> [--tolerance 10%] [--json] [--reports-dir DIR]`: what changed between two
// runs — the certificate, each guarantee's verdict, and for every load both ran (matched by id, else by flow and
// offered rate) p99 per phase and the achieved rate. A run is a run's folder, a result.json, or a run id under
// DIR/runs (default reports/, relative to the folder npm runs in).
// Exit 0: no regression; 1: a regression (a verdict now FAIL or no longer PASS, a lower certificate, a p99 higher or a
// rate lower than the baseline by more than the tolerance), so a CI job fails against a stored baseline;
// 2: a user mistake, on one line (two runs of different tiers among them: their guarantees are not the same ones).
import { parseArgs } from 'node:util';
import { UserError } from '../src/config/errors.ts';
import { comparisonLines } from '../src/reports/comparison/comparison-table.ts';
import { compareRuns, parseTolerance } from '../src/reports/comparison/run-comparison.ts';
import { resolveRun } from '../src/reports/runs/run-reference.ts';

const USAGE = 'usage: npm run compare -- <baseline run> <run> [--tolerance 10%] [--json] [--reports-dir DIR]';
const DEFAULT_TOLERANCE = '10%';

async function main(argv: string[]): Promise<number> {
  const cwd = process.env.INIT_CWD ?? process.cwd();
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
    process.stdout.write(`${USAGE}\n`);
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
  process.stdout.write(parsed.values.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${comparisonLines(comparison).join('\n')}\n`);
  return comparison.regressions.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  if (error instanceof UserError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 70;
});
