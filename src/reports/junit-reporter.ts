import { join } from 'node:path';
import type { GuaranteeVerdict } from '../verdict/guarantee-verdict.ts';
import { writeFileAtomically } from './atomic-file.ts';
import { stateOf } from './allure-verdicts.ts';
import type { Reporter, RunEvidence, WrittenFile } from './reporter.ts';
import type { NoRunDocument, ResultDocument } from './result-document.ts';

/**
 * `reports/latest/junit.xml` for CI systems: one test case per guarantee (classname: its concern),
 * a FAIL as a failure carrying the measured value and the threshold, NOT EVALUATED (and a pass held
 * only under a reduced load) as skipped with the reason; tier, profile and certificate as properties.
 */
export class JunitReporter implements Reporter {
  readonly name = 'junit';

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    const path = join(evidence.runDir, 'junit.xml');
    await writeFileAtomically(path, renderJunit(evidence.document));
    return [{ path }];
  }
}

/**
 * The junit.xml of a run that did not start (a refused command line or config): one errored test
 * case saying why, so a CI job that publishes junit.xml never shows an earlier run's results as this one's.
 */
export function renderJunitNoRun(document: NoRunDocument): string {
  const name = 'Mojaloop conformance — the run did not start';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="1" failures="0" errors="1" skipped="0" time="0">`,
    `  <testsuite name="${xml(name)}" tests="1" failures="0" errors="1" skipped="0" time="0" timestamp="${xml(document.finishedAt)}">`,
    `    <properties><property name="exitCode" value="${document.exitCode ?? ''}"/></properties>`,
    `    <testcase classname="run" name="the run" time="0">`,
    `      <error message="${xml(document.error)}" type="${document.exitCode === 2 ? 'usage' : 'run'}"/>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function renderJunit(document: ResultDocument): string {
  const { summary, certificate } = document;
  const skipped = summary.notEvaluated + summary.reducedLoad;
  const seconds = (document.durationMs / 1000).toFixed(3);
  const properties: Array<[string, string]> = [
    ['runId', document.runId], ['tier', document.tier], ['profile', document.profile], ['target', document.target],
    ['certificate', certificate.status], ['certificate.statement', certificate.statement],
    ['certificate.scope', certificate.scope ?? 'none'], ['profileCertifies', String(certificate.profileCertifies)],
    ['interrupted', String(document.interrupted)], ['exitCode', String(document.exitCode)],
    ['configDigest', document.fingerprint.configDigest], ['tool', `${document.tool.name} ${document.tool.version}`],
    ...(document.fingerprint.tool.gitCommit ? [['gitCommit', document.fingerprint.tool.gitCommit] as [string, string]] : []),
    ...document.loads.map((load): [string, string] => [`load.${load.id}`, `offered ${load.offered.ratePerSecond}/s for ${load.offered.durationMs / 1000} s (asked ${load.asked.ratePerSecond}/s for ${load.asked.durationMs / 1000} s), achieved ${load.achievedRate.toFixed(1)}/s`]),
  ];
  const name = `Mojaloop conformance — tier ${document.tier}`;
  const counts = `tests="${summary.total}" failures="${summary.failed}" errors="0" skipped="${skipped}" time="${seconds}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" ${counts}>`,
    `  <testsuite name="${xml(name)}" ${counts} timestamp="${xml(document.startedAt)}">`,
    '    <properties>',
    ...properties.map(([key, value]) => `      <property name="${xml(key)}" value="${xml(value)}"/>`),
    '    </properties>',
    ...document.guarantees.map(testCase),
    ...(document.interrupted ? [`    <system-err>${xml('The run was interrupted: the guarantees it did not reach are skipped, each saying so.', false)}</system-err>`] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(verdict: GuaranteeVerdict): string {
  const open = `    <testcase classname="${xml(verdict.concern ?? 'other')}" name="${xml(`${verdict.id} ${verdict.title}`)}" file="${xml(verdict.location.replace(/:\d+$/, ''))}" time="0">`;
  const evidence = verdict.evidence.map((m) => `${m.ok ? 'ok' : 'out of threshold'}: ${m.name} = ${m.value ?? 'none'}${m.unit ? ` ${m.unit}` : ''} [${m.threshold}] (${m.source})`).join('\n');
  if (verdict.verdict === 'FAIL') {
    const body = `measured: ${verdict.measured ?? 'nothing'}\nthreshold: ${verdict.threshold ?? 'none'}${evidence ? `\n\n${evidence}` : ''}`;
    return `${open}\n      <failure message="${xml(verdict.reason ?? 'failed')}" type="FAIL">${xml(body, false)}</failure>\n    </testcase>`;
  }
  if (verdict.verdict === 'NOT_EVALUATED') {
    return `${open}\n      <skipped message="${xml(`${stateOf(verdict)}: ${verdict.reason ?? 'not evaluated'}`)}"/>\n    </testcase>`;
  }
  return evidence ? `${open}\n      <system-out>${xml(evidence, false)}</system-out>\n    </testcase>` : `${open}</testcase>`;
}

/** Text safe inside an XML attribute (line breaks kept as &#10;) or element: the five entities, and characters XML 1.0 forbids dropped. */
function xml(text: string, attribute = true): string {
  const escaped = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  return attribute ? escaped.replace(/\n/g, '&#10;') : escaped;
}
