import { formatMs, formatPercent, formatRate, formatRelative, type FigureChange, type RunComparison } from './run-comparison.ts';

const VERDICT_WORDS = { PASS: 'PASS', FAIL: 'FAIL', NOT_EVALUATED: 'NOT EVALUATED' } as const;

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

function describeSide(side: RunComparison['before']): string {
  return `${side.reference}${side.runId ? ` (run ${side.runId})` : ''}: tier ${side.tier ?? '?'}, profile ${side.profile ?? '?'}${side.startedAt ? `, started ${side.startedAt}` : ''}`;
}

function figureCells(change: FigureChange, format: (n: number) => string): string[] {
  return [format(change.before), format(change.after), formatRelative(change.relative), change.regressed ? 'REGRESSED' : ''];
}

/** What `npm run compare` prints for a person: what changed, not the unchanged (counted). */
export function comparisonLines(comparison: RunComparison): string[] {
  const lines = [`before: ${describeSide(comparison.before)}`, `after:  ${describeSide(comparison.after)}`, ''];
  const certificate = comparison.certificate;
  lines.push(`certificate: ${certificate.before === certificate.after ? `${certificate.after} (unchanged)` : `${certificate.before} → ${certificate.after}${certificate.regressed ? '  REGRESSED' : ''}`}`, '');

  const changed = comparison.verdicts.filter((v) => v.change !== 'same');
  const same = comparison.verdicts.length - changed.length;
  if (changed.length === 0) {
    lines.push(`verdicts: no change (${same} guarantees)`);
  } else {
    lines.push(`verdicts: ${changed.length} changed, ${same} unchanged`);
    lines.push(...table(['guarantee', 'before', 'after', 'change'], changed.map((v) => [
      v.id, v.before ? VERDICT_WORDS[v.before] : '(absent)', v.after ? VERDICT_WORDS[v.after] : '(absent)', v.change === 'regressed' ? 'REGRESSED' : v.change,
    ])));
  }

  if (comparison.loads.length > 0) {
    const rows: string[][] = [];
    for (const load of comparison.loads) {
      const name = load.before === load.after ? load.after : `${load.before} ~ ${load.after}`;
      if (load.achievedRate) rows.push([name, 'achieved rate', ...figureCells(load.achievedRate, formatRate)]);
      for (const [stage, change] of Object.entries(load.p99)) rows.push([name, `p99 ${stage}`, ...figureCells(change, formatMs)]);
    }
    lines.push('', `loads (tolerance ${formatPercent(comparison.tolerance)}):`, ...table(['load', 'figure', 'before', 'after', 'change', 'regression'], rows));
  }
  for (const [which, loads] of Object.entries(comparison.unmatchedLoads)) {
    if (loads.length > 0) lines.push(`only ${which}: ${loads.join(', ')}`);
  }
  for (const note of comparison.notes) lines.push(`note: ${note}`);
  lines.push('', comparison.regressions.length === 0
    ? 'no regression'
    : `${comparison.regressions.length} regression${comparison.regressions.length === 1 ? '' : 's'}:\n${comparison.regressions.map((r) => `  - ${r}`).join('\n')}`);
  return lines;
}
