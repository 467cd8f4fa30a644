import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { countStates, displayState } from '../../../src/reports/html/display-state.ts';
import { fspiopErrorCode, histogramBars } from '../../../src/reports/html/load-section.ts';
import { inventoryRows, renderReportHtml } from '../../../src/reports/html/render-report-html.ts';
import type { ReportInput } from '../../../src/reports/html/report-input.ts';
import { writeReportHtml } from '../../../src/reports/html/write-report-html.ts';
import { noRunDocument } from '../../../src/reports/result-document.ts';
import type { GuaranteeVerdict } from '../../../src/verdict/guarantee-verdict.ts';
import { ROOT } from '../../helpers/cli.ts';

const smoke = JSON.parse(await readFile(join(ROOT, 'fixtures', 'reports', 'helm-smoke-result.json'), 'utf8')) as ReportInput;
const fresh = (): ReportInput => structuredClone(smoke);

/** The text of the element with this id (tags dropped), to assert what a reader sees there. */
function section(html: string, id: string): string {
  const start = html.indexOf(` id="${id}"`);
  assert.ok(start >= 0, `no element with id ${id}`);
  const open = html.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(html.slice(open))![1]!;
  const end = html.indexOf(`</${tag}>`, start);
  return html.slice(open, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

function stateOfRow(html: string, id: string): string | undefined {
  return new RegExp(`<tr data-concern="[^"]*" data-state="(\\w+)" data-id="${id}">`).exec(html)?.[1];
}

describe('renderReportHtml', () => {
  it('opens with the certificate, the profile and the load offered against what the tier asks', () => {
    const banner = section(renderReportHtml(fresh()), 'certificate');
    assert.match(banner, /INCOMPLETE/);
    assert.match(banner, /Scope production/);
    assert.match(banner, /Profile smoke/);
    assert.match(banner, /20 transfers\/s for 60 s offered \(profile smoke\); the tier asks 1000 transfers\/s for 1 h — a REDUCED load/);
  });

  it('names the load from the verdicts when the document has no `loads` (result.json v1)', () => {
    const input = fresh();
    delete input.loads;
    const banner = section(renderReportHtml(input), 'certificate');
    assert.match(banner, /20 transfers\/s for 60 s offered \(profile smoke\); the tier asks 1000 transfers\/s for 1 h/);
    assert.match(banner, /20 transfers\/s for 60 s offered \(profile smoke\); the tier asks 100 transfers\/s for 10 min/);
  });

  it('counts results under a reduced load as their own state, never as passed', () => {
    const html = renderReportHtml(fresh());
    const reduced = smoke.guarantees.filter((g) => g.reducedLoad);
    assert.equal(reduced.length, 7);
    assert.match(section(html, 'counts'), /42 Guarantees 19 Passed 0 Failed 7 Reduced load — not evaluated 16 Not evaluated/);
    for (const g of reduced) assert.equal(stateOfRow(html, g.id), 'REDUCED_LOAD');
  });

  it('never shows a PASS that was not judged at the full threshold as passed', () => {
    const verdict = { verdict: 'PASS', fullThreshold: false } as GuaranteeVerdict;
    assert.equal(displayState(verdict), 'REDUCED_LOAD');
    assert.equal(displayState({ ...verdict, fullThreshold: true }), 'PASS');
    assert.equal(displayState({ ...verdict, verdict: 'FAIL', reducedLoad: smoke.guarantees.find((g) => g.reducedLoad)!.reducedLoad! }), 'FAIL');
    assert.deepEqual(countStates([verdict, { ...verdict, fullThreshold: true }]), { PASS: 1, FAIL: 0, REDUCED_LOAD: 1, NOT_EVALUATED: 0 });
  });

  it('says loudly that a run was interrupted', () => {
    const input = fresh();
    input.interrupted = true;
    const html = renderReportHtml(input);
    assert.match(section(html, 'interrupted'), /This run was INTERRUPTED: 16 of 42 guarantees were not evaluated/);
    assert.match(html, /<title>[^<]*INCOMPLETE \(run interrupted\)<\/title>/);
    assert.doesNotMatch(renderReportHtml(fresh()), /id="interrupted"/);
  });

  it('flags a summary that does not match the guarantees listed', () => {
    const input = fresh();
    input.guarantees = input.guarantees.slice(0, 27);
    assert.match(renderReportHtml(input), /The summary counts 42 guarantees but the result lists 27/);
  });

  it('escapes every string of the run: a planted <script> stays text', () => {
    const input = fresh();
    const planted = '<script>alert(1)</script>';
    const g = input.guarantees[0]!;
    g.title = planted;
    g.reason = `"><img src=x onerror=alert(2)>`;
    g.concern = `x" onmouseover="alert(3)`;
    input.guarantees[11]!.evidence = [{ name: planted, value: planted, threshold: planted, ok: false, source: planted }];
    input.certificate.statement = planted;
    input.diagnosis = [planted];
    input.fingerprint = { tool: planted, nested: { a: planted } };
    input.loads![0]!.id = planted;
    input.loads![0]!.stages.transfers.failures = { [planted]: 3 };
    const html = renderReportHtml(input);
    assert.equal(html.match(/<script/g)?.length, 1, 'only the page\'s own filter script');
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /" onmouseover="/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('loads nothing from anywhere: no external reference, and a policy that refuses any', () => {
    const html = renderReportHtml(fresh());
    assert.doesNotMatch(html, /\s(src|href)="(https?:)?\/\//);
    assert.doesNotMatch(html, /<link|@import|url\(/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  });

  it('is deterministic: the same document gives the same bytes', () => {
    assert.equal(renderReportHtml(fresh()), renderReportHtml(fresh()));
  });

  it('draws each load: achieved vs offered with the window, latency and a histogram per stage', () => {
    const html = renderReportHtml(fresh());
    const loads = html.slice(html.indexOf('id="loads"'), html.indexOf('id="inventory"'));
    assert.equal(loads.match(/<svg /g)?.length, 1 + 4 + 4);
    assert.match(loads, /Achieved vs offered, per second/);
    assert.match(loads, /steady state 10 s–70 s/);
    for (const stage of ['lookups', 'quotes', 'transfers', 'iterations']) {
      assert.match(loads, new RegExp(`${stage}: latency over time`));
      assert.match(loads, new RegExp(`${stage}: successes by latency`));
    }
    assert.match(loads, /No failures in the steady state/);
  });

  it('lists failures by reason with their FSPIOP error code', () => {
    const input = fresh();
    input.loads![0]!.stages.lookups.failures = { 'error callback 3204': 5, timeout: 2 };
    const failures = section(renderReportHtml(input), 'loads');
    assert.match(failures, /lookups error callback 3204 3204 \(Party not found\) 5/);
    assert.match(failures, /lookups timeout — 2/);
  });

  it('says what a document lacks instead of inventing it', () => {
    const input = fresh();
    input.loads = [];
    const html = renderReportHtml(input);
    assert.match(section(html, 'fingerprint'), /carries no environment fingerprint/);
    assert.match(section(html, 'loads'), /No load was offered in this run/);
    assert.match(section(html, 'inventory'), /No finding was read from a deployment inventory/);
    input.fingerprint = { toolVersion: '0.1.0', gitCommit: 'abc123', target: { kind: 'kubernetes' } };
    assert.match(section(renderReportHtml(input), 'fingerprint'), /toolVersion 0\.1\.0 gitCommit abc123 target \{&quot;kind&quot;:&quot;kubernetes&quot;\}/);
  });

  it('renders a placeholder result (a run that never started) without inventing a verdict', () => {
    const placeholder = noRunDocument({ name: 'mojaloop-conformance', version: '0.1.0' }, 'the hub at http://hub:4000 did not answer', 2);
    const html = renderReportHtml(placeholder as unknown as ReportInput);
    assert.match(section(html, 'certificate'), /INCOMPLETE/);
    assert.match(html, /The run could not evaluate anything: the hub at http:\/\/hub:4000 did not answer/);
    assert.match(section(html, 'counts'), /0 Guarantees 0 Passed/);
  });

  it('draws a load whose series are missing or empty as charts saying "no data"', () => {
    const input = fresh();
    const load = input.loads![0]!;
    load.series = [];
    load.latencyOverTime = [];
    load.stages.lookups.histogram = [];
    const loads = section(renderReportHtml(input), 'loads');
    assert.match(loads, /lookups: latency over time.*no data/);
    assert.match(loads, /lookups: successes by latency \(steady state\) no data/);
  });

  it('keeps the verdict filters hidden until its script shows them: without scripts every row shows', () => {
    const html = renderReportHtml(fresh());
    assert.match(html, /<div class="filters" id="verdict-filters" hidden>/);
    assert.doesNotMatch(html, /<tr[^>]* hidden/);
    assert.match(html, /<option value="sla">sla<\/option>/);
    assert.match(html, /<option value="REDUCED_LOAD">Reduced load — not evaluated<\/option>/);
  });
});

describe('inventory findings', () => {
  const source = 'Kubernetes API https://10.0.0.1:6443 (context prod)';
  const verdict = (over: Partial<GuaranteeVerdict>): GuaranteeVerdict => ({
    id: 'HELM-DEP-01', title: 'Deployed by Helm', verdict: 'PASS', measured: null, threshold: null, reason: null, fullThreshold: true,
    concern: 'deployment', location: 'features/helm/deployment.feature:3', evidence: [], ...over,
  });

  it('are the measurements read from an inventory, and the not-evaluated checks that name one', () => {
    const rows = inventoryRows([
      verdict({ evidence: [{ name: 'Helm releases', value: 'mojaloop 17.0.0', threshold: 'at least one', ok: true, source }] }),
      verdict({ id: 'HELM-FUN-01', concern: 'functional', evidence: [{ name: 'transfer state', value: 'COMMITTED', threshold: '= COMMITTED', ok: true, source: 'PUT /transfers/1' }] }),
      verdict({ id: 'HELM-DEP-02', verdict: 'NOT_EVALUATED', reason: 'deployed by the selected profiles (compose definition fixtures/harness (docker-compose.yml; profiles all-services)): …' }),
      verdict({ id: 'HELM-DOC-01', verdict: 'NOT_EVALUATED', reason: 'needs a person\'s judgement' }),
    ]);
    assert.deepEqual(rows.map((r) => [r.guarantee, r.check, r.state]), [['HELM-DEP-01', 'Helm releases', 'ok'], ['HELM-DEP-02', 'Deployed by Helm', 'not evaluated']]);
  });

  it('are shown as a table', () => {
    const input = fresh();
    input.guarantees[6] = verdict({ evidence: [{ name: 'central-ledger replicas', value: 1, threshold: '≥ 2', ok: false, source }] });
    assert.match(section(renderReportHtml(input), 'inventory'), /HELM-DEP-01 central-ledger replicas 1 ≥ 2 not ok Kubernetes API/);
  });
});

describe('load-section helpers', () => {
  it('fspiopErrorCode reads the code of an error callback only', () => {
    assert.equal(fspiopErrorCode('error callback 3204'), '3204');
    assert.equal(fspiopErrorCode('HTTP 500'), undefined);
    assert.equal(fspiopErrorCode('timeout'), undefined);
  });

  it('histogramBars merges buckets beyond the limit, keeping every count', () => {
    const buckets = Array.from({ length: 100 }, (_, i) => [i + 1, 1] as [number, number]);
    const bars = histogramBars(buckets, 40);
    assert.ok(bars.length <= 40);
    assert.equal(bars.reduce((sum, b) => sum + b.value, 0), 100);
    assert.equal(bars.at(-1)!.label, '≤ 100 ms');
    assert.deepEqual(histogramBars([[2, 3], [2.5, 1], [1500, 1]]).map((b) => b.label), ['≤ 2 ms', '≤ 2.5 ms', '≤ 1.5 s']);
    assert.deepEqual(histogramBars([]), []);
  });
});

describe('writeReportHtml', () => {
  const dirs: string[] = [];
  after(async () => { for (const dir of dirs) await rm(dir, { recursive: true, force: true }); });

  it('writes report.html in the folder and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-html-write-'));
    dirs.push(dir);
    const file = await writeReportHtml(join(dir, 'latest'), fresh());
    assert.equal(file, join(dir, 'latest', 'report.html'));
    assert.equal(await readFile(file, 'utf8'), renderReportHtml(fresh()));
    assert.deepEqual(await readdir(join(dir, 'latest')), ['report.html']);
  });

  it('fails when the folder cannot be made, and leaves nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-html-write-'));
    dirs.push(dir);
    await writeFile(join(dir, 'taken'), 'a file where the folder should be');
    await assert.rejects(writeReportHtml(join(dir, 'taken'), fresh()));
    assert.deepEqual(await readdir(dir), ['taken']);
  });
});
