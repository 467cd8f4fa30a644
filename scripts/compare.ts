// `npm run compare -- <baseline run> <run> [--tolerance 10%] [--json] [--reports-dir DIR]`: what changed between two
// runs — the certificate, each guarantee's verdict, and for every load both ran (matched by id, else by flow and
// offered rate) p99 per phase and the achieved rate. A run is a run's folder, a result.json, or a run id under
// DIR/runs (default reports/, relative to the folder npm runs in).
// Exit 0: no regression; 1: a regression (a verdict now FAIL or no longer PASS, a lower certificate, a p99 higher or a
// rate lower than the baseline by more than the tolerance), so a CI job fails against a stored baseline;
// 2: a user mistake, on one line (two runs of different tiers among them: their guarantees are not the same ones).
import { compareCommand } from '../src/reports/comparison/compare-command.ts';

const io = { cwd: process.env.INIT_CWD ?? process.cwd(), out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
compareCommand(process.argv.slice(2), io).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 70;
});
