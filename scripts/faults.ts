// `npm run faults`: proves the suite bites. Every fault the embedded hub can show is run against
// the scenarios that must notice it, then the same scenarios run with no fault, several times in a
// row. Prints a Markdown table (fault → guarantees that failed → evidence) and exits 1 if a fault
// went unnoticed, or if a run without faults failed anything.
//   FAULTS_CLEAN_RUNS  consecutive fault-free runs of the functional scenarios (default 20)
import { baselineSelections, caught, FAULT_CASES, runWithFaults, type FaultRunOutcome } from '../src/run/fault-matrix.ts';

const cleanRuns = Number(process.env.FAULTS_CLEAN_RUNS ?? 20);
const progress = (text: string) => process.stderr.write(`${text}\n`);
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const short = (text: string, max = 160) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const rows: string[] = [];
let defects = 0;
for (const fault of FAULT_CASES) {
  const started = performance.now();
  progress(`fault ${fault.fault} (${fault.tier}: ${fault.tags}) …`);
  const outcome = await runWithFaults(fault.tier, fault.tags, fault.faults, fault.config ? { config: fault.config } : {});
  const ok = caught(fault, outcome);
  if (!ok) defects += 1;
  progress(`  ${ok ? 'caught' : 'NOT CAUGHT'}: ${outcome.failed.length} failed, ${outcome.passed.length} passed, ${Math.round((performance.now() - started) / 1000)} s`);
  const first = outcome.failed.find((failure) => fault.mustFail.includes(failure.id)) ?? outcome.failed[0];
  rows.push(`| \`${fault.fault}\` | ${cell(fault.breaks)} | ${outcome.failed.map((f) => f.id).join(', ') || '**none**'}${ok ? '' : ' (**expected** ' + fault.mustFail.join(', ') + ')'} | ${first ? `${first.id}: ${cell(short(first.reason))}` : '—'} |`);
}

const baselines: string[] = [];
for (const selection of baselineSelections()) {
  const runs = selection.load ? 1 : cleanRuns;
  const failures: FaultRunOutcome['failed'] = [];
  let passed = 0;
  for (let run = 1; run <= runs; run += 1) {
    progress(`no fault (${selection.tier}: ${selection.tags}) run ${run}/${runs} …`);
    const outcome = await runWithFaults(selection.tier, selection.tags, {});
    failures.push(...outcome.failed);
    passed += outcome.passed.length;
    if (outcome.passed.length === 0) failures.push({ id: '(none)', reason: 'nothing was evaluated' });
  }
  if (failures.length > 0) defects += 1;
  baselines.push(`- No fault, ${selection.tier} \`${selection.tags}\`, ${runs} consecutive run${runs === 1 ? '' : 's'}: `
    + (failures.length === 0 ? `${passed} verdicts, all PASS` : `**${failures.length} FAIL**: ${failures.map((f) => `${f.id} (${short(f.reason, 100)})`).join('; ')}`));
}

process.stdout.write([
  '| Fault (`--fault`) | What the hub does | Guarantees that failed | Evidence |',
  '|---|---|---|---|',
  ...rows,
  '',
  ...baselines,
  '',
].join('\n'));
process.exitCode = defects === 0 ? 0 : 1;
