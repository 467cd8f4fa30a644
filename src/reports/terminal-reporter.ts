import type { Writable } from 'node:stream';
import type { CatalogueEntry } from '../catalogue/feature-catalogue.ts';
import { formatMeasuredValue } from '../evidence/evidence.ts';
import type { ConformanceConfig } from '../config/schema.ts';
import type { EnvironmentDescription } from '../environment/environment.ts';
import type { CallbackStats } from '../fspiop/callback-server.ts';
import type { Certificate } from '../verdict/certificate.ts';
import type { GuaranteeVerdict } from '../verdict/guarantee-verdict.ts';
import type { LoadProgress } from '../load/load-runner.ts';
import { redactUrl } from '../support/url.ts';
import { describeLoad } from '../evidence/evidence.ts';
import type { Reporter, RunEvidence, WrittenFile } from './reporter.ts';
import type { ResultDocument } from './result-document.ts';

const MARK = { PASS: '✔ PASS', FAIL: '✘ FAIL', NOT_EVALUATED: '○ NOT EVALUATED' } as const;
const COLOUR = { PASS: '\x1b[32m', FAIL: '\x1b[31m', NOT_EVALUATED: '\x1b[33m' } as const;

/**
 * Prints the run as it happens: environment, one verdict per guarantee, then — as the last
 * reporter of the run — summary, certificate and the files the other reporters wrote.
 */
export class TerminalReporter implements Reporter {
  readonly name = 'terminal';
  readonly #out: Writable;
  readonly #colour: boolean;
  readonly #live: boolean;
  #status = false;
  #lastProgressLineMs = Number.NEGATIVE_INFINITY;

  /** `live`: the output is a terminal, so a transient "running …" line may be drawn and erased. */
  constructor(out: Writable, colour: boolean, live = false) {
    this.#out = out;
    this.#colour = colour;
    this.#live = live;
  }

  /** Shows which guarantee is being measured, until its verdict replaces the line. */
  running(id: string, title: string, elapsedMs: number): void {
    if (!this.#live) return;
    this.#out.write(`\r\x1b[2K… ${id}  ${title}  (${(elapsedMs / 1000).toFixed(0)} s into the run)`);
    this.#status = true;
  }

  /** Load in progress: a live line on a terminal, a line every 5 s in a log (CI). */
  loadProgress(progress: LoadProgress): void {
    const p99 = Object.entries(progress.p99Ms).map(([phase, ms]) => `${phase} ${Math.round(ms!)} ms`).join(', ') || '—';
    const text = `load ${Math.round(progress.elapsedMs / 1000)} s of ${Math.round(progress.durationMs / 1000)} s · target ${progress.targetRate}/s · `
      + `achieved ${progress.achievedRate.toFixed(1)}/s · p99 ${p99} · failed ${progress.failed} · dropped ${progress.dropped ?? 'counted at the end'}`;
    // Each load's clock starts at 0: one that went back is the next load, whose first line is due at
    // once — not 5 s after the previous load's last one, which a shorter load would never reach.
    if (progress.elapsedMs < this.#lastProgressLineMs) this.#lastProgressLineMs = Number.NEGATIVE_INFINITY;
    if (this.#live) {
      this.#out.write(`\r\x1b[2K… ${text}`);
      this.#status = true;
    } else if (progress.elapsedMs - this.#lastProgressLineMs >= 5000) {
      this.#lastProgressLineMs = progress.elapsedMs;
      this.#line(`  … ${text}`);
    }
  }

  /** The first line says what is tested: tier, the target as its environment describes it (a hub given by URL: that URL), profile. */
  header(config: Pick<ConformanceConfig, 'tier' | 'profile'>, target: string): void {
    this.#line(`Mojaloop conformance — tier ${config.tier} · target ${target} · profile ${config.profile}`);
  }

  catalogue(tier: string, entries: readonly CatalogueEntry[]): void {
    const byConcern = new Map<string, number>();
    for (const entry of entries) byConcern.set(entry.concern ?? 'other', (byConcern.get(entry.concern ?? 'other') ?? 0) + 1);
    const parts = [...byConcern].map(([concern, n]) => `${concern} ${n}`).join(', ');
    this.#line(`  ${entries.length} guarantees stated in features/${tier}/ (${parts})`);
  }

  environment(description: EnvironmentDescription, callbackUrl: string): void {
    this.#line(`  ${description.summary}`);
    for (const [name, url] of Object.entries(description.endpoints)) this.#line(`    ${name.padEnd(12)} ${url}`);
    this.#line(`    ${'callbacks'.padEnd(12)} ${redactUrl(callbackUrl)} (our payer DFSP)`);
    for (const note of description.notes ?? []) this.#line(`  ${note}`);
    this.#line('');
  }

  verdict(verdict: GuaranteeVerdict): void {
    const mark = this.#paint(verdict.verdict, MARK[verdict.verdict]);
    this.#line(`${mark}  ${verdict.id}  ${verdict.title}`);
    if (verdict.reason) this.#line(`      ${verdict.verdict === 'FAIL' ? 'because' : 'reason'}: ${verdict.reason}`);
    const sources = new Set(verdict.evidence.map((m) => m.source));
    if ((verdict.concern === 'sla' || verdict.concern === 'resilience') && sources.size <= 2) for (const source of sources) this.#line(`      measured by: ${source}`);
    for (const m of verdict.evidence) {
      const tick = m.informational ? '·' : m.ok ? this.#paint('PASS', '✓') : this.#paint('FAIL', '✗');
      this.#line(`      ${tick} ${m.name}: ${shorten(formatMeasuredValue(m), 60)}  [${m.threshold}]`);
    }
  }

  notice(text: string): void {
    this.#line(text);
  }

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    this.summary(evidence.document, evidence.written);
    return [];
  }

  summary(result: ResultDocument, files: readonly WrittenFile[]): void {
    const { total, passed, failed, notEvaluated, reducedLoad } = result.summary;
    this.#line('');
    if (result.interrupted) this.#line(this.#paint('FAIL', 'Run interrupted: verdicts below cover what was measured before the interruption; every guarantee not reached is NOT EVALUATED.'));
    for (const line of result.diagnosis) this.#line(this.#paint('FAIL', `Diagnosis: ${line}`));
    this.#line(`Guarantees: ${total} · ${passed} passed · ${failed} failed · ${notEvaluated} not evaluated${reducedLoad > 0 ? ` · ${reducedLoad} held only a reduced load (not evaluated)` : ''}`);
    for (const load of result.loads) {
      const reduced = load.offered.ratePerSecond < load.asked.ratePerSecond || load.offered.durationMs < load.asked.durationMs;
      this.#line(`Load offered: ${describeLoad(load.offered)} (${load.runner}, profile ${load.profile}), achieved ${load.achievedRate.toFixed(1)}/s${reduced ? ` — reduced: the guarantees ask ${describeLoad(load.asked)}` : ''}`
        + (load.fault ? `; fault at ${Math.round(load.fault.atMs / 1000)} s: ${load.fault.broke ?? load.fault.problem ?? 'nothing was broken'}` : ''));
    }
    this.#line(`Certificate: ${this.#certificate(result.certificate)}`);
    if (result.callbacks) this.#line(`Callbacks: ${describeCallbacks(result.callbacks)}`);
    for (const [operation, t] of Object.entries(result.operations)) {
      const times = t.endToEndMs ? `, end to end min ${t.endToEndMs.min} / median ${t.endToEndMs.median} / max ${t.endToEndMs.max} ms` : '';
      this.#line(`  ${operation.padEnd(15)} ${t.count} sent, ${t.completed} completed, ${t.timedOut} timed out${times}`);
    }
    for (const file of files) this.#line(`Report: ${file.path}${file.note ? ` (${file.note})` : ''}`);
  }

  #certificate(certificate: Certificate): string {
    const kind = certificate.status === 'CERTIFIED' ? 'PASS' : certificate.status === 'NOT_CERTIFIED' ? 'FAIL' : 'NOT_EVALUATED';
    return this.#paint(kind, certificate.statement);
  }

  #paint(kind: keyof typeof COLOUR, text: string): string {
    return this.#colour ? `${COLOUR[kind]}${text}\x1b[0m` : text;
  }

  #line(text: string): void {
    if (this.#status) {
      this.#out.write('\r\x1b[2K');
      this.#status = false;
    }
    this.#out.write(`${text}\n`);
  }
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function describeCallbacks(stats: CallbackStats): string {
  const rejected = Object.entries(stats.rejected).filter(([, n]) => n > 0);
  const total = rejected.reduce((sum, [, n]) => sum + n, 0);
  const signatures = stats.signatures ? `; signatures ${stats.signatures.verified} verified, ${stats.signatures.refused} refused, ${stats.signatures.unverifiable} from senders without a key` : '';
  return `${stats.accepted} accepted, ${stats.late} late, ${stats.duplicate} duplicate, ${total} rejected${rejected.length > 0 ? ` (${rejected.map(([reason, n]) => `${reason} ${n}`).join(', ')})` : ''}${signatures}`;
}
