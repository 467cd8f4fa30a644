import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSummaryMarkdown } from '../../src/reports/summary-markdown-reporter.ts';
import type { GuaranteeVerdict } from '../../src/verdict/guarantee-verdict.ts';
import { sampleDocument, sampleLoad, sampleVerdicts } from '../helpers/result-document.ts';

describe('summary.md', () => {
  it('opens on the certificate, the load really offered and the counts, reduced-load results counted apart', () => {
    const text = renderSummaryMarkdown(sampleDocument());
    const lines = text.split('\n');
    assert.equal(lines[0], '## ❌ Mojaloop conformance — tier helm · profile smoke · target embedded');
    assert.match(lines[2]!, /^\*\*Certificate: NOT CERTIFIED\*\* — NOT CERTIFIED \(tier helm, profile smoke \(a reduced load: certifies no SLA\)\): 1 guarantee failed \(HELM-SEC-01\)$/);
    assert.match(text, /- Load offered: 20 transfers\/s for 60 s \(builtin runner, profile smoke\), achieved 19\.9 transfers\/s — \*\*reduced\*\*: the guarantees ask 1000 transfers\/s for 1 h/);
    assert.match(text, /\| passed \| failed \| not evaluated \| held only a reduced load \| total \|\n\|---:\|---:\|---:\|---:\|---:\|\n\| 1 \| 1 \| 1 \| 1 \| 4 \|/);
  });

  it('tables what failed, what held only a reduced load and what was not evaluated, with why', () => {
    const text = renderSummaryMarkdown(sampleDocument());
    assert.match(text, /### Failed \(1\)\n\n\| guarantee \| concern \| measured \| why \|\n\|---\|---\|---\|---\|\n\| HELM-SEC-01 \| security \| admin API answer without credentials: 200 \| admin API answer/);
    assert.match(text, /### Held only a reduced load \(not evaluated\) \(1\)[\s\S]*\| HELM-SLA-01 \| sla \| held 20 transfers\/s/);
    assert.match(text, /### Not evaluated \(1\)[\s\S]*\| HELM-DEP-01 \| deployment \| needs a Kubernetes inventory/);
    assert.doesNotMatch(text, /HELM-FUN-01/, 'passes are counted, not listed');
  });

  it('says which load had a fault injected, and what it broke', () => {
    const faulted = { ...sampleLoad, id: 'p2p-100-600000-smoke-fault-centralledger', fault: { broke: 'the embedded hub was killed and restarted', atMs: 40_000 } };
    assert.match(renderSummaryMarkdown(sampleDocument(undefined, { loads: [faulted] })), /ask 1000 transfers\/s for 1 h; fault at 40 s: the embedded hub was killed and restarted\n/);
  });

  it('says an interrupted run was interrupted, before anything else is read', () => {
    const text = renderSummaryMarkdown(sampleDocument(undefined, { interrupted: true }));
    assert.ok(text.indexOf('The run was interrupted') < text.indexOf('| passed |'));
  });

  it('stays under its cap however many guarantees, saying how many rows it left out', () => {
    const many: GuaranteeVerdict[] = Array.from({ length: 2000 }, (_, i) => ({ ...sampleVerdicts[2]!, id: `X-${i}`, reason: `reason ${'x'.repeat(400)}` }));
    const text = renderSummaryMarkdown(sampleDocument(many), 20_000);
    assert.ok(text.length <= 20_000, String(text.length));
    assert.match(text, /_…and \d+ more in result\.json\._/);
    assert.match(text, /reason x+…/, 'a long cell is cut');
    assert.match(text, /<sub>run 20261205T110000000Z-abcdef/, 'the footer is kept');
  });

  it('keeps a table intact whatever the reason holds (pipes, line breaks)', () => {
    const text = renderSummaryMarkdown(sampleDocument([{ ...sampleVerdicts[2]!, reason: 'a | b\nc' }]));
    assert.match(text, /\| HELM-DEP-01 \| deployment \| a \\\| b c \|/);
  });
});
