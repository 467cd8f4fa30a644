import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJunit } from '../../src/reports/junit-reporter.ts';
import { sampleDocument } from '../helpers/result-document.ts';

const testCases = (xml: string) => [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)]
  .map((m) => ({ classname: m[1]!, name: m[2]!, body: m[4] ?? '' }));

describe('junit.xml', () => {
  const xml = renderJunit(sampleDocument());

  it('has one test case per guarantee, its concern as classname, and counts that add up', () => {
    const cases = testCases(xml);
    assert.deepEqual(cases.map((c) => [c.classname, c.name.split(' ')[0]]), [['functional', 'HELM-FUN-01'], ['security', 'HELM-SEC-01'], ['deployment', 'HELM-DEP-01'], ['sla', 'HELM-SLA-01']]);
    assert.match(xml, /<testsuites name="Mojaloop conformance — tier helm" tests="4" failures="1" errors="0" skipped="2" time="120.000">/);
  });

  it('fails a FAIL with the measured value and the threshold, escaped', () => {
    const failed = testCases(xml).find((c) => c.name.startsWith('HELM-SEC-01'))!;
    assert.match(failed.body, /<failure message="admin API answer without credentials was 200, expected = 401 or 403" type="FAIL">/);
    assert.match(failed.body, /measured: admin API answer without credentials: 200\nthreshold: admin API answer without credentials = 401 or 403/);
    assert.match(failed.body, /GET \/participants &lt;a &amp; &quot;b&quot;&gt;/);
  });

  it('skips NOT EVALUATED with the reason, and names a pass held only under a reduced load as such', () => {
    const cases = testCases(xml);
    assert.match(cases.find((c) => c.name.startsWith('HELM-DEP-01'))!.body, /<skipped message="NOT EVALUATED: needs a Kubernetes inventory; the embedded target has no Kubernetes cluster"\/>/);
    assert.match(cases.find((c) => c.name.startsWith('HELM-SLA-01'))!.body, /<skipped message="REDUCED LOAD ONLY: held 20 transfers\/s for 60 s \(profile smoke\)/);
  });

  it('carries tier, profile, certificate and the load offered as properties', () => {
    const expected: Array<[string, string]> = [['tier', 'helm'], ['profile', 'smoke'], ['certificate', 'NOT_CERTIFIED'], ['certificate.scope', 'none'], ['profileCertifies', 'false']];
    for (const [name, value] of expected) {
      assert.match(xml, new RegExp(`<property name="${name.replace('.', '\\.')}" value="${value}"/>`), name);
    }
    assert.match(xml, /<property name="load\.p2p-1000-3600000-smoke" value="offered 20\/s for 60 s \(asked 1000\/s for 3600 s\), achieved 19\.9\/s"\/>/);
  });

  it('says an interrupted run was interrupted', () => {
    const interrupted = renderJunit(sampleDocument(undefined, { interrupted: true }));
    assert.match(interrupted, /<property name="interrupted" value="true"\/>/);
    assert.match(interrupted, /<system-err>The run was interrupted/);
  });

  it('drops characters XML cannot carry rather than writing a file no CI can parse', () => {
    const [first, ...rest] = sampleDocument().guarantees;
    const xmlWithControl = renderJunit(sampleDocument([{ ...first!, title: 'bell\u0007 here' }, ...rest]));
    assert.match(xmlWithControl, /name="HELM-FUN-01 bell here"/);
  });
});
