import type { IterationReport } from '../../fspiop/notification-channel.ts';
import { SUMMARY_FORMAT, type K6SummaryDocument } from '../k6/k6-summary.ts';

/**
 * What one line of a runner pod's log says. The scripts, run with `REPORT_TO=log`, write each
 * iteration's report as `{"report":{…}}` through k6's console, and their end-of-test summary as
 * `{"summary":{…}}` on stdout (load/lib/flow.ts). k6 prints console lines as its logger is set:
 * bare with `--log-format=raw` (what the runner asks for), as the `msg` of a JSON entry with
 * `--log-format=json`, or as `msg="…"` (Go-quoted) in its default text format — all three are
 * read, so a TestRun whose arguments were changed still reports. Anything else is k6 talking (a
 * warning, an exception), kept for error messages.
 */
export type RunnerLogLine =
  | { kind: 'report'; report: IterationReport }
  | { kind: 'summary'; document: K6SummaryDocument }
  | { kind: 'other'; text: string };

export function parseRunnerLogLine(line: string): RunnerLogLine {
  const text = line.trim();
  const message = ourMessage(text);
  if (message && typeof message === 'object') {
    const { report, summary } = message as { report?: unknown; summary?: unknown };
    if (isReport(report)) return { kind: 'report', report };
    if (isSummary(summary)) return { kind: 'summary', document: summary };
  }
  return { kind: 'other', text };
}

/** The JSON our script wrote, whichever way k6's logger wrapped it. */
function ourMessage(text: string): unknown {
  if (text.startsWith('{')) {
    const parsed = parseJson(text) as { msg?: unknown } | undefined;
    // --log-format=json: {"level":"info","msg":"{\"report\":…}","source":"console",…}
    if (parsed && typeof parsed.msg === 'string' && parsed.msg.startsWith('{')) return parseJson(parsed.msg);
    return parsed;
  }
  // k6's text format: time="…" level=info msg="{\"report\":…}" source=console
  const quoted = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  if (quoted === undefined) return undefined;
  const unquoted = parseJson(`"${quoted}"`);
  return typeof unquoted === 'string' && unquoted.startsWith('{') ? parseJson(unquoted) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isReport(value: unknown): value is IterationReport {
  const r = value as Partial<IterationReport> | undefined;
  return typeof r === 'object' && r !== null && typeof r.scenario === 'string' && typeof r.startMs === 'number' && typeof r.endMs === 'number' && typeof r.ok === 'boolean';
}

function isSummary(value: unknown): value is K6SummaryDocument {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === SUMMARY_FORMAT;
}

/**
 * Splits a log stream into lines as it arrives (a chunk may end mid-line). Lines longer than
 * `maxLineBytes` are cut to that length and still passed on: a runaway line must not hold the
 * runner's memory, and a cut report then reads as "other" and is missed (counted as unreported).
 */
export class LineSplitter {
  readonly #onLine: (line: string) => void;
  readonly #maxLineBytes: number;
  #partial = '';

  constructor(onLine: (line: string) => void, maxLineBytes = 1_048_576) {
    this.#onLine = onLine;
    this.#maxLineBytes = maxLineBytes;
  }

  push(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    if (this.#partial.length > this.#maxLineBytes) this.#partial = this.#partial.slice(0, this.#maxLineBytes);
    for (const line of lines) if (line.trim() !== '') this.#onLine(line.length > this.#maxLineBytes ? line.slice(0, this.#maxLineBytes) : line);
  }

  end(): void {
    if (this.#partial.trim() !== '') this.#onLine(this.#partial);
    this.#partial = '';
  }
}
