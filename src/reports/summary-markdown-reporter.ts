import { join } from 'node:path';
import { describeLoad } from '../evidence/evidence.ts';
import { isReducedLoadResult, type GuaranteeVerdict } from '../verdict/guarantee-verdict.ts';
import { writeFileAtomically } from './atomic-file.ts';
import type { Reporter, RunEvidence, WrittenFile } from './reporter.ts';
import type { NoRunDocument, ResultDocument } from './result-document.ts';

/** GitHub refuses a comment over 65 536 characters; this leaves room for whatever a CI job puts around it. */
export const SUMMARY_MAX_CHARS = 60_000;
/** A table cell longer than this is cut (the whole text is in result.json). */
const CELL_MAX_CHARS = 300;

/**
 * `reports/latest/summary.md`, short enough for a pull-request comment: the certificate, the
 * profile and the load really offered, the counts, and a table of what failed, what held only a
 * reduced load and what was not evaluated with why — cut to SUMMARY_MAX_CHARS, saying how many rows
 * were left out.
 */
export class SummaryMarkdownReporter implements Reporter {
  readonly name = 'summary.md';

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    const path = join(evidence.runDir, 'summary.md');
    await writeFileAtomically(path, renderSummaryMarkdown(evidence.document));
    return [{ path }];
  }
}

/** The summary.md of a run that did not start: why, and nothing that could be read as a result. */
export function renderSummaryMarkdownNoRun(document: NoRunDocument): string {
  return `## ⚠️ Mojaloop conformance — the run did not start\n\n**Certificate: INCOMPLETE** — ${cell(document.error, 1000)}\n\n<sub>${document.tool.name} ${document.tool.version} · exit ${document.exitCode ?? 'none'}</sub>\n`;
}

export function renderSummaryMarkdown(document: ResultDocument, maxChars = SUMMARY_MAX_CHARS): string {
  const { certificate, summary } = document;
  const mark = certificate.status === 'CERTIFIED' ? '✅' : certificate.status === 'NOT_CERTIFIED' ? '❌' : '⚠️';
  const head = [
    `## ${mark} Mojaloop conformance — tier ${document.tier} · profile ${document.profile} · target ${document.target}`,
    '',
    `**Certificate: ${certificate.status.replace('_', ' ')}** — ${cell(certificate.statement, 1000)}`,
    '',
    ...(document.interrupted ? ['> **The run was interrupted**: every guarantee it did not reach is NOT EVALUATED.', ''] : []),
    ...(document.error ? [`> **The run stopped**: ${cell(document.error, 500)}`, ''] : []),
    ...loadLines(document),
    `| passed | failed | not evaluated | held only a reduced load | total |`,
    `|---:|---:|---:|---:|---:|`,
    `| ${summary.passed} | ${summary.failed} | ${summary.notEvaluated} | ${summary.reducedLoad} | ${summary.total} |`,
    '',
  ];
  const sections = [
    section('Failed', ['guarantee', 'concern', 'measured', 'why'], document.guarantees.filter((v) => v.verdict === 'FAIL'),
      (v) => [v.id, v.concern ?? '', v.measured ?? '', v.reason ?? '']),
    section('Held only a reduced load (not evaluated)', ['guarantee', 'concern', 'what was held'], document.guarantees.filter(isReducedLoadResult),
      (v) => [v.id, v.concern ?? '', v.reason ?? '']),
    section('Not evaluated', ['guarantee', 'concern', 'why'], document.guarantees.filter((v) => v.verdict === 'NOT_EVALUATED' && !isReducedLoadResult(v)),
      (v) => [v.id, v.concern ?? '', v.reason ?? '']),
  ];
  const commit = document.fingerprint.tool.gitCommit;
  const foot = ['', `<sub>run ${document.runId} · ${document.tool.name} ${document.tool.version}${commit ? ` (${commit.slice(0, 12)})` : ''} · config ${document.fingerprint.configDigest.slice(0, 19)} · exit ${document.exitCode} · full result: result.json</sub>`, ''];

  let text = head.join('\n');
  const budget = maxChars - foot.join('\n').length;
  for (const { title, header, rows } of sections) {
    if (rows.length === 0) continue;
    const heading = `### ${title} (${rows.length})\n\n${header}\n`;
    if (text.length + heading.length + 80 > budget) {
      text += `\n_${title}: ${rows.length} left out to keep this short; see result.json._\n`;
      continue;
    }
    text += `\n${heading}`;
    let shown = 0;
    for (const row of rows) {
      if (text.length + row.length + 1 + 80 > budget) break;
      text += `${row}\n`;
      shown += 1;
    }
    if (shown < rows.length) text += `\n_…and ${rows.length - shown} more in result.json._\n`;
  }
  return text + foot.join('\n');
}

/** The load really offered, and what the guarantees asked where the profile reduced it: on the front of every summary. */
function loadLines(document: ResultDocument): string[] {
  if (document.loads.length === 0) return [];
  return [
    ...document.loads.map((load) => {
      const reduced = load.offered.ratePerSecond < load.asked.ratePerSecond || load.offered.durationMs < load.asked.durationMs;
      return `- Load offered: ${describeLoad(load.offered)} (${load.runner}, profile ${load.profile}), achieved ${load.achievedRate.toFixed(1)} transfers/s`
        + (reduced ? ` — **reduced**: the guarantees ask ${describeLoad(load.asked)}` : '')
        + (load.fault ? `; fault at ${Math.round(load.fault.atMs / 1000)} s: ${cell(load.fault.broke ?? load.fault.problem ?? 'nothing was broken')}` : '');
    }),
    '',
  ];
}

function section(title: string, columns: string[], verdicts: GuaranteeVerdict[], cells: (v: GuaranteeVerdict) => string[]) {
  return {
    title,
    header: `| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|`,
    rows: verdicts.map((v) => `| ${cells(v).map((c) => cell(c)).join(' | ')} |`),
  };
}

/** A table cell: one line, pipes escaped, cut to `max`. */
function cell(text: string, max = CELL_MAX_CHARS): string {
  const line = text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
