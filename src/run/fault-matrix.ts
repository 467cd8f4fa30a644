import { Writable } from 'node:stream';
import { rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../config/load-config.ts';
import type { ConfigInput, FSPIOP_VERSIONS, HubFaultsConfig, Tier } from '../config/schema.ts';

type FspiopVersion = (typeof FSPIOP_VERSIONS)[number];
import type { LoadProfile } from '../load/load-profiles.ts';
import { ConformanceRun } from './conformance-run.ts';

/** One fault of the embedded hub, and the guarantees that must catch it. */
export interface FaultCase {
  /** As `--fault` takes it. */
  fault: string;
  faults: HubFaultsConfig;
  /** What the misbehaviour is, in words. */
  breaks: string;
  tier: Tier;
  /** The scenarios that exercise what the fault breaks. */
  tags: string;
  /** Guarantees that must FAIL under the fault, each with evidence matching `symptom`. */
  mustFail: string[];
  symptom: RegExp;
  /** Drives load: judged on the run's load profile. */
  load?: boolean;
  /** Config the case needs beside the faults (e.g. what our payer accepts, the version the hub answers in). */
  config?: Pick<ConfigInput, 'fspiop'> & { fspiopVersion?: FspiopVersion };
}

/** Every FSPIOP functional scenario: the CI job's guarantee (an inventory) is functional too, but no fault of the hub reaches it. */
const FUNCTIONAL = '@concern:functional and @needs:fspiop-api';
const tags = (...ids: string[]) => ids.map((id) => `@guarantee:${id}`).join(' or ');

/** Every fault the embedded hub can show, run against the scenarios that must notice it. */
export const FAULT_CASES: readonly FaultCase[] = [
  {
    fault: 'acceptWrongFulfilment', faults: { acceptWrongFulfilment: true }, breaks: 'commits a transfer whose fulfilment does not match its condition',
    tier: 'core-test-harness', tags: tags('CTH-FUN-03'), mustFail: ['CTH-FUN-03'], symptom: /transfer callback was success callback .*expected error callback/,
  },
  {
    fault: 'skipDuplicateCheck', faults: { skipDuplicateCheck: true }, breaks: 'books a resent transfer again instead of answering with its state or 3106',
    tier: 'core-test-harness', tags: tags('CTH-FUN-04', 'CTH-FUN-05'), mustFail: ['CTH-FUN-04', 'CTH-FUN-05'], symptom: /resent transfer callback was no callback/,
  },
  {
    fault: 'doubleBookResends', faults: { doubleBookResends: true }, breaks: 'answers a resent transfer with its state, as it should, but books it a second time',
    tier: 'core-test-harness', tags: tags('CTH-FUN-04'), mustFail: ['CTH-FUN-04'], symptom: /position in USD was .*\(change 14\)/,
  },
  {
    fault: 'leakReservations', faults: { leakReservations: true }, breaks: 'aborts transfers without releasing their reservation',
    tier: 'core-test-harness', tags: tags('CTH-FUN-06', 'CTH-FUN-07'), mustFail: ['CTH-FUN-06', 'CTH-FUN-07'], symptom: /position in USD was .*\(change [1-9]/,
  },
  {
    fault: 'skipPayeeNotification', faults: { skipPayeeNotification: true }, breaks: 'tells only the payer when a transfer expires',
    tier: 'core-test-harness', tags: tags('CTH-FUN-16'), mustFail: ['CTH-FUN-16'], symptom: /errors the payee DFSP was told was none/,
  },
  {
    fault: 'ignoreNetDebitCap', faults: { ignoreNetDebitCap: true }, breaks: 'reserves a transfer beyond the payer\'s net debit cap',
    tier: 'core-test-harness', tags: tags('CTH-FUN-08'), mustFail: ['CTH-FUN-08'], symptom: /transfer callback was success callback .*expected error callback/,
  },
  {
    fault: 'skipExpiry', faults: { skipExpiry: true }, breaks: 'never expires a transfer the payee does not fulfil',
    tier: 'core-test-harness', tags: tags('CTH-FUN-07'), mustFail: ['CTH-FUN-07'], symptom: /transfer callback was no callback/,
  },
  {
    fault: 'dropCallbacks=1', faults: { dropCallbacks: 1 }, breaks: 'never delivers a callback',
    tier: 'core-test-harness', tags: tags('CTH-FUN-01', 'CTH-FUN-02'), mustFail: ['CTH-FUN-01', 'CTH-FUN-02'], symptom: /callback was no callback/,
  },
  {
    fault: 'serverErrors=1', faults: { serverErrors: 1 }, breaks: 'answers every FSPIOP request with HTTP 500',
    tier: 'core-test-harness', tags: tags('CTH-FUN-01', 'CTH-FUN-12'), mustFail: ['CTH-FUN-01', 'CTH-FUN-12'], symptom: /HTTP 500/,
  },
  {
    fault: 'callbackSource=rogue', faults: { callbackSource: 'rogue' }, breaks: 'sends its own callbacks as an FSP that is neither the hub nor the payee',
    tier: 'core-test-harness', tags: tags('CTH-FUN-02', 'CTH-FUN-10'), mustFail: ['CTH-FUN-02', 'CTH-FUN-10'], symptom: /callback was no callback/,
  },
  {
    fault: 'staleCallbackDateMs=600000', faults: { staleCallbackDateMs: 600_000 }, breaks: 'dates its own callbacks 10 minutes in the past (the bodies stay valid)',
    tier: 'core-test-harness', tags: tags('CTH-FUN-02', 'CTH-FUN-10'), mustFail: ['CTH-FUN-02', 'CTH-FUN-10'], symptom: /callback headers was date .*is 10(?:\.0)? minutes behind/,
  },
  {
    fault: 'omitCallbackField=transferState', faults: { omitCallbackField: 'transferState' }, breaks: 'leaves transferState out of its transfer callbacks',
    tier: 'core-test-harness', tags: tags('CTH-FUN-01', 'CTH-FUN-10'), mustFail: ['CTH-FUN-01', 'CTH-FUN-10'], symptom: /transferState/,
  },
  {
    fault: 'crashAfterTransfers=2', faults: { crashAfterTransfers: 2 }, breaks: 'dies (as under kill -9) after its second prepare',
    tier: 'core-test-harness', tags: tags('CTH-FUN-01', 'CTH-FUN-03', 'CTH-FUN-10'), mustFail: ['CTH-FUN-03', 'CTH-FUN-10'], symptom: /no callback|connection refused|closed before an answer/,
  },
  {
    fault: 'skipQuoteValidation', faults: { skipQuoteValidation: true }, breaks: 'forwards quotes without validating them: only the payee refuses an invalid one',
    tier: 'core-test-harness', tags: tags('CTH-FUN-12', 'CTH-FUN-13'), mustFail: ['CTH-FUN-12', 'CTH-FUN-13'], symptom: /quote refused by was payeefsp/,
  },
  {
    fault: 'ignoreQuoteQueries resendCallbacksAfterMs=2000', faults: { ignoreQuoteQueries: true, resendCallbacksAfterMs: 2000 },
    breaks: 'never answers GET /quotes, and delivers every callback a second time 2 s later (a copy must not pass for the answer)',
    tier: 'core-test-harness', tags: tags('CTH-FUN-11'), mustFail: ['CTH-FUN-11'], symptom: /quote query callback was no callback/,
  },
  {
    fault: 'answerAnyTransferQuery', faults: { answerAnyTransferQuery: true }, breaks: 'answers GET /transfers/{id} with the transfer\'s state and fulfilment to any DFSP that asks, party to it or not',
    tier: 'core-test-harness', tags: tags('CTH-FUN-19'), mustFail: ['CTH-FUN-19'], symptom: /transfer state and fulfilment told bystanderfsp \(party to neither side\) was transferState "COMMITTED", fulfilment "/,
  },
  {
    fault: '(none: the hub answers in 2.0, our payer accepts 1.x only)', faults: {}, config: { fspiop: { accept: ['1'] }, fspiopVersion: '2.0' },
    breaks: 'writes its own callbacks in a version the request did not accept',
    tier: 'core-test-harness', tags: tags('CTH-FUN-17'), mustFail: ['CTH-FUN-17'], symptom: /callback version was Content-Type "application\/vnd\.interoperability\.transfers\+json;version=2\.0"/,
  },
  {
    fault: 'volatileLedger', faults: { volatileLedger: true }, breaks: 'keeps its ledger in memory only: killed mid-load, it comes back with empty books',
    tier: 'helm', tags: tags('HELM-RSL-02'), mustFail: ['HELM-RSL-02'], symptom: /committed transfers lost was [1-9]\d* of \d+/, load: true,
  },
  {
    fault: 'callbackDelayMs=1200', faults: { callbackDelayMs: 1200 }, breaks: 'holds every callback 1.2 s',
    tier: 'helm', tags: '@concern:sla', mustFail: ['HELM-SLA-02', 'HELM-SLA-03', 'HELM-SLA-04'],
    symptom: /completed successfully within 1000 ms \(share of attempts, steady state\) was \d+\.\d+% of \d+ attempts .*expected ≥ 99%/, load: true,
  },
];

export interface FaultRunOutcome {
  exitCode: number;
  failed: { id: string; reason: string }[];
  passed: string[];
  notEvaluated: string[];
  /**
   * Of those not evaluated, the ones measured under a load reduced below what they ask (the smoke
   * profile) with every measurement within threshold: what would pass, which is all a fault-free
   * run under a reduced load can show.
   */
  heldUnderReducedLoad: string[];
}

/**
 * One in-process conformance run against the embedded hub with these faults (none: the baseline).
 * Callbacks are waited for 4 s: the embedded hub answers in milliseconds (the expiry scenario's
 * 3303 comes at 2 s), and a fault that loses a callback must not cost ten seconds a scenario.
 */
export async function runWithFaults(tier: Tier, tagExpression: string, faults: HubFaultsConfig,
  options: { loadProfile?: LoadProfile; config?: FaultCase['config'] } = {}): Promise<FaultRunOutcome> {
  const reportsDir = await mkdtemp(join(tmpdir(), 'conformance-faults-'));
  try {
    const { fspiopVersion, ...input } = options.config ?? {};
    // The embedded hub expires a transfer at its expiration: no sweep interval to wait for.
    const config = validateConfig({
      ...input, tier, reportsDir, embedded: { faults, ...(fspiopVersion ? { fspiopVersion } : {}) }, timeouts: { callbackMs: 4000, expirySweepMs: 1000 },
    });
    const run = new ConformanceRun(config, { out: discard(), tags: tagExpression, ...(options.loadProfile ? { loadProfile: options.loadProfile } : {}) });
    const { result, exitCode } = await run.execute();
    const selected = result.guarantees.filter((g) => !g.reason?.startsWith('not selected by the tag filter'));
    return {
      exitCode,
      failed: selected.filter((g) => g.verdict === 'FAIL').map((g) => ({ id: g.id, reason: g.reason ?? '' })),
      passed: selected.filter((g) => g.verdict === 'PASS').map((g) => g.id),
      notEvaluated: selected.filter((g) => g.verdict === 'NOT_EVALUATED').map((g) => g.id),
      heldUnderReducedLoad: selected.filter((g) => g.verdict === 'NOT_EVALUATED' && g.reducedLoad && g.evidence.length > 0 && g.evidence.every((m) => m.ok)).map((g) => g.id),
    };
  } finally {
    await rm(reportsDir, { recursive: true, force: true });
  }
}

/** Whether a fault was caught as it must be: every guarantee it breaks failed, naming the symptom. */
export function caught(fault: FaultCase, outcome: FaultRunOutcome): boolean {
  return fault.mustFail.every((id) => outcome.failed.some((failure) => failure.id === id && fault.symptom.test(failure.reason)));
}

/**
 * What is wrong with a fault-free run, in words (none: it is clean): a failure, a guarantee not
 * evaluated for any reason but a reduced load it held, or nothing shown at all.
 */
export function baselineProblems(outcome: FaultRunOutcome): string[] {
  const unexplained = outcome.notEvaluated.filter((id) => !outcome.heldUnderReducedLoad.includes(id));
  return [
    ...outcome.failed.map((f) => `${f.id} failed (${f.reason})`),
    ...unexplained.map((id) => `${id} not evaluated`),
    ...(outcome.passed.length + outcome.heldUnderReducedLoad.length === 0 ? ['nothing was evaluated'] : []),
  ];
}

/** The scenarios the faults are run against, per tier: the baseline must pass all of them with no fault (or, under a reduced load, hold it). */
export function baselineSelections(cases: readonly FaultCase[] = FAULT_CASES): { tier: Tier; tags: string; load: boolean }[] {
  const tiers = [...new Set(cases.map((fault) => fault.tier))];
  return tiers.map((tier) => {
    const ofTier = cases.filter((fault) => fault.tier === tier);
    const load = ofTier.some((fault) => fault.load === true);
    return { tier, tags: load ? ofTier.map((fault) => `(${fault.tags})`).join(' or ') : FUNCTIONAL, load };
  });
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
