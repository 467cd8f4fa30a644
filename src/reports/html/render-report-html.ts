import { describeLoad, formatMeasuredValue, type Measurement, type OfferedLoad } from '../../evidence/evidence.ts';
import type { GuaranteeVerdict } from '../../verdict/guarantee-verdict.ts';
import { countStates, DISPLAY_STATES, displayState, STATE_LABEL, type DisplayState } from './display-state.ts';
import { escapeHtml } from './escape.ts';
import { isReduced, renderLoad } from './load-section.ts';
import { CONTENT_SECURITY_POLICY, FILTER_SCRIPT, REPORT_STYLE } from './report-page-assets.ts';
import type { ReportInput } from './report-input.ts';

/**
 * `report.html`: one file a release manager opens from disk, with no network, and reads top down —
 * the certificate and what load it rests on first, then every verdict (filterable), the loads with
 * their charts, the inventory findings and each guarantee's evidence. Every string from the run is
 * escaped: a hub under test can put anything in what it answers. Same input, same bytes.
 */
export function renderReportHtml(input: ReportInput): string {
  const guarantees = input.guarantees ?? [];
  const title = `Mojaloop conformance — ${input.tier ?? 'no tier'} — ${statusWords(input)}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLE}</style></head><body>`,
    `<h1>Mojaloop conformance report</h1>`,
    banner(input),
    counts(guarantees),
    problems(input),
    fingerprint(input),
    verdictTable(guarantees),
    loads(input),
    inventoryFindings(input),
    evidence(guarantees),
    exchanges(input),
    `<footer>Written by ${escapeHtml(input.tool?.name ?? 'the conformance tool')} ${escapeHtml(input.tool?.version ?? '')} from result.json (schema version ${escapeHtml(input.schemaVersion)}). This file is self-contained: it loads nothing from anywhere.</footer>`,
    `<script>${FILTER_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function statusWords(input: ReportInput): string {
  const status = (input.certificate?.status ?? 'INCOMPLETE').replace('_', ' ');
  return input.interrupted ? `${status} (run interrupted)` : status;
}

/** Each distinct load the run offered and what its guarantees asked: from `loads`, else from the verdicts' reduced loads. */
function offeredLoads(input: ReportInput): Array<{ asked: OfferedLoad; offered: OfferedLoad; profile: string }> {
  if (input.loads && input.loads.length > 0) return input.loads.map((load) => ({ asked: load.asked, offered: load.offered, profile: load.profile }));
  const seen = new Map<string, { asked: OfferedLoad; offered: OfferedLoad; profile: string }>();
  for (const verdict of input.guarantees ?? []) {
    if (!verdict.reducedLoad) continue;
    const { asked, offered, profile } = verdict.reducedLoad;
    seen.set(JSON.stringify([asked, offered]), { asked, offered, profile });
  }
  return [...seen.values()];
}

function loadLine(input: ReportInput): string {
  const offered = offeredLoads(input);
  if (offered.length === 0) {
    return input.loads
      ? 'no load was offered in this run'
      : 'no load evidence in this result (no guarantee was held under a reduced load; this result.json does not record the loads offered)';
  }
  return offered.map(({ asked, offered: held, profile }) => isReduced({ asked, offered: held })
    ? `${describeLoad(held)} offered (profile ${profile}); the tier asks ${describeLoad(asked)} — a REDUCED load: nothing held at it is certified`
    : `${describeLoad(held)} offered (profile ${profile}), as the tier asks`).join('; ');
}

function banner(input: ReportInput): string {
  const status = input.certificate?.status ?? 'INCOMPLETE';
  const rows: Array<[string, string | null | undefined]> = [
    ['Scope', input.certificate?.scope],
    ['Tier', input.tier],
    ['Profile', input.profile],
    ['Load', loadLine(input)],
    ['Target', input.environment?.summary ? `${input.target}: ${input.environment.summary}` : input.target],
    ['Hub', input.hubUrl],
    ['Run', [input.runId ? `id ${input.runId}` : '', input.startedAt ? `${input.startedAt} → ${input.finishedAt}` : `finished ${input.finishedAt}`, `${Math.round((input.durationMs ?? 0) / 1000)} s`, `exit code ${input.exitCode}`].filter(Boolean).join(', ')],
  ];
  const interrupted = input.interrupted
    ? `<p class="alert" id="interrupted">This run was INTERRUPTED: ${countStates(input.guarantees ?? []).NOT_EVALUATED} of ${(input.guarantees ?? []).length} guarantees were not evaluated. Nothing in this report certifies the deployment.</p>`
    : '';
  return `<section id="certificate" class="banner status-${escapeHtml(status)}" data-status="${escapeHtml(status)}" data-interrupted="${input.interrupted ? 'true' : 'false'}">`
    + `<p class="status">${escapeHtml(statusWords(input))}</p>`
    + `<p class="statement">${escapeHtml(input.certificate?.statement ?? '')}</p>${interrupted}`
    + `<dl>${rows.filter(([, value]) => value !== null && value !== undefined && value !== '').map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl></section>`;
}

function counts(guarantees: readonly GuaranteeVerdict[]): string {
  const byState = countStates(guarantees);
  const items = DISPLAY_STATES.map((state) => `<li class="state-${state}" data-state="${state}"><span class="n">${byState[state]}</span>${escapeHtml(STATE_LABEL[state])}</li>`);
  return `<ul class="counts" id="counts"><li><span class="n">${guarantees.length}</span>Guarantees</li>${items.join('')}</ul>`;
}

function problems(input: ReportInput): string {
  const parts: string[] = [];
  if (input.error) parts.push(`<p class="alert">The run could not evaluate anything: ${escapeHtml(input.error)}</p>`);
  const summaryTotal = input.summary?.total;
  if (summaryTotal !== undefined && summaryTotal !== (input.guarantees ?? []).length) {
    parts.push(`<p class="alert">The summary counts ${escapeHtml(summaryTotal)} guarantees but the result lists ${(input.guarantees ?? []).length}: this document is inconsistent.</p>`);
  }
  if ((input.diagnosis ?? []).length > 0) {
    parts.push(`<div class="warning"><strong>Diagnosis</strong><ul>${input.diagnosis.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></div>`);
  }
  return parts.join('');
}

function fingerprintValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return `<code>${escapeHtml(JSON.stringify(value))}</code>`;
  return escapeHtml(value);
}

function fingerprint(input: ReportInput): string {
  if (!input.fingerprint || Object.keys(input.fingerprint).length === 0) {
    return '<section id="fingerprint"><h2>Environment fingerprint</h2><p>This result.json carries no environment fingerprint (written by a version of the tool before result.json v2).</p></section>';
  }
  const rows = Object.entries(input.fingerprint).map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${fingerprintValue(value)}</td></tr>`).join('');
  return `<section id="fingerprint"><h2>Environment fingerprint</h2><table><tbody>${rows}</tbody></table></section>`;
}

function option(value: string, label: string): string {
  return `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
}

function verdictTable(guarantees: readonly GuaranteeVerdict[]): string {
  const concerns = [...new Set(guarantees.map((g) => g.concern ?? 'none'))].sort();
  const states = DISPLAY_STATES.filter((state) => guarantees.some((g) => displayState(g) === state));
  const filters = '<div class="filters" id="verdict-filters" hidden>'
    + `<label>Concern <select id="filter-concern">${option('', 'all')}${concerns.map((c) => option(c, c)).join('')}</select></label>`
    + `<label>Verdict <select id="filter-verdict">${option('', 'all')}${states.map((s) => option(s, STATE_LABEL[s])).join('')}</select></label>`
    + '<span id="filter-count"></span></div>';
  const rows = guarantees.map((g) => {
    const state = displayState(g);
    const detail = g.reason ?? g.measured ?? '';
    return `<tr data-concern="${escapeHtml(g.concern ?? 'none')}" data-state="${state}" data-id="${escapeHtml(g.id)}">`
      + `<td><a href="#g-${escapeHtml(g.id)}">${escapeHtml(g.id)}</a></td><td>${escapeHtml(g.title)}</td><td>${escapeHtml(g.concern ?? '—')}</td>`
      + `<td><span class="state state-${state}">${escapeHtml(STATE_LABEL[state])}</span></td><td>${escapeHtml(detail)}</td></tr>`;
  }).join('');
  return `<section id="verdicts"><h2>Verdicts</h2>${filters}`
    + '<table id="verdict-table"><thead><tr><th scope="col">guarantee</th><th scope="col">title</th><th scope="col">concern</th><th scope="col">verdict</th><th scope="col">measured, or why not evaluated</th></tr></thead>'
    + `<tbody>${rows}</tbody></table></section>`;
}

function loads(input: ReportInput): string {
  if (!input.loads) return '';
  if (input.loads.length === 0) return '<section id="loads"><h2>Loads</h2><p>No load was offered in this run.</p></section>';
  return `<section id="loads"><h2>Loads</h2>${input.loads.map((load, i) => renderLoad(load, i)).join('')}</section>`;
}

/**
 * Where an inventory's findings come from: the sources the inventory readers write (a compose
 * definition, a compose project through its engine, a Kubernetes API). A measurement citing one of
 * them, or a reason naming one, is an inventory finding.
 */
const INVENTORY_SOURCE = /^(compose definition |docker compose project |Kubernetes API )/;
const INVENTORY_MENTION = /\((compose definition |docker compose project |Kubernetes API )/;

interface InventoryRow { guarantee: string; check: string; value: string; threshold: string; state: 'ok' | 'not ok' | 'not evaluated'; source: string }

export function inventoryRows(guarantees: readonly GuaranteeVerdict[]): InventoryRow[] {
  return guarantees.flatMap((g): InventoryRow[] => {
    const measured = g.evidence.filter((m) => INVENTORY_SOURCE.test(m.source)).map((m) => ({
      guarantee: g.id, check: m.name, value: formatMeasuredValue(m), threshold: m.threshold, state: m.ok ? 'ok' as const : 'not ok' as const, source: m.source,
    }));
    if (measured.length > 0) return measured;
    if (g.verdict === 'NOT_EVALUATED' && g.reason && INVENTORY_MENTION.test(g.reason)) {
      return [{ guarantee: g.id, check: g.title, value: '—', threshold: '—', state: 'not evaluated', source: g.reason }];
    }
    return [];
  });
}

function inventoryFindings(input: ReportInput): string {
  const rows = inventoryRows(input.guarantees ?? []);
  if (rows.length === 0) return '<section id="inventory"><h2>Inventory findings</h2><p>No finding was read from a deployment inventory in this run.</p></section>';
  const body = rows.map((r) => `<tr><td><a href="#g-${escapeHtml(r.guarantee)}">${escapeHtml(r.guarantee)}</a></td><td>${escapeHtml(r.check)}</td><td>${escapeHtml(r.value)}</td><td>${escapeHtml(r.threshold)}</td>`
    + `<td class="${r.state === 'ok' ? 'ok-yes' : r.state === 'not ok' ? 'ok-no' : ''}">${escapeHtml(r.state)}</td><td class="source">${escapeHtml(r.source)}</td></tr>`).join('');
  return '<section id="inventory"><h2>Inventory findings</h2><table><thead><tr><th scope="col">guarantee</th><th scope="col">check</th><th scope="col">found</th><th scope="col">expected</th><th scope="col">ok</th><th scope="col">source</th></tr></thead>'
    + `<tbody>${body}</tbody></table></section>`;
}

function measurementRow(m: Measurement): string {
  return `<tr><td>${escapeHtml(m.name)}${m.informational ? ' <em>(informational)</em>' : ''}</td><td>${escapeHtml(formatMeasuredValue(m))}</td><td>${escapeHtml(m.threshold)}</td>`
    + `<td class="${m.ok ? 'ok-yes' : 'ok-no'}">${m.ok ? 'yes' : 'no'}</td><td class="source">${escapeHtml(m.source)}</td></tr>`;
}

function evidence(guarantees: readonly GuaranteeVerdict[]): string {
  const items = guarantees.map((g) => {
    const state: DisplayState = displayState(g);
    const reduced = g.reducedLoad
      ? `<p class="warning">Measured at ${escapeHtml(describeLoad(g.reducedLoad.offered))} (profile ${escapeHtml(g.reducedLoad.profile)}); the guarantee asks ${escapeHtml(describeLoad(g.reducedLoad.asked))}.</p>` : '';
    const reason = g.reason ? `<p><strong>${state === 'FAIL' ? 'Why it failed' : 'Why not evaluated'}:</strong> ${escapeHtml(g.reason)}</p>` : '';
    const table = g.evidence.length > 0
      ? '<table class="measurements"><thead><tr><th scope="col">measurement</th><th scope="col">value</th><th scope="col">threshold</th><th scope="col">ok</th><th scope="col">source</th></tr></thead>'
        + `<tbody>${g.evidence.map(measurementRow).join('')}</tbody></table>`
      : '<p>No measurement was recorded.</p>';
    return `<details class="guarantee" id="g-${escapeHtml(g.id)}" data-state="${state}"${state === 'FAIL' ? ' open' : ''}>`
      + `<summary><span class="state state-${state}">${escapeHtml(STATE_LABEL[state])}</span> <strong>${escapeHtml(g.id)}</strong> ${escapeHtml(g.title)}</summary>`
      + `<p class="source">${escapeHtml(g.location)}</p>${reduced}${reason}${table}</details>`;
  }).join('');
  return `<section id="evidence"><h2>Evidence per guarantee</h2>${items}</section>`;
}

function exchanges(input: ReportInput): string {
  const operations = Object.entries(input.operations ?? {});
  if (operations.length === 0) return '';
  const rows = operations.map(([operation, t]) => `<tr><td>${escapeHtml(operation)}</td><td class="num">${t.count}</td><td class="num">${t.completed}</td><td class="num">${t.timedOut}</td>`
    + `<td class="num">${t.endToEndMs ? `${t.endToEndMs.min} / ${t.endToEndMs.median} / ${t.endToEndMs.max} ms` : '—'}</td></tr>`).join('');
  return '<section id="exchanges"><h2>FSPIOP exchanges of the functional probes</h2><table><thead><tr><th scope="col">operation</th><th scope="col">sent</th><th scope="col">completed</th><th scope="col">timed out</th><th scope="col">end to end min / median / max</th></tr></thead>'
    + `<tbody>${rows}</tbody></table></section>`;
}
