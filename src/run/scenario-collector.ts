import type { Envelope } from '@cucumber/messages';
import { EVIDENCE_MEDIA_TYPE, isEvidenceRecord, type EvidenceRecord } from '../evidence/evidence.ts';
import { guaranteeIdOf } from '../catalogue/tags.ts';
import type { ScenarioOutcome, ScenarioStatus } from '../verdict/guarantee-verdict.ts';

interface PickleInfo {
  id: string;
  title: string;
  tags: string[];
  location: string;
}

interface Attempt {
  pickleId: string;
  status: ScenarioStatus;
  message?: string;
  errorType?: string;
  evidence: EvidenceRecord[];
}

/** Worst first: the scenario's status is the worst of its steps'. */
const SEVERITY: ScenarioStatus[] = ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'SKIPPED', 'UNKNOWN', 'PASSED'];

/**
 * Turns Cucumber's message stream into one outcome per scenario: status, first failure line and the
 * evidence its steps attached. It holds every scenario from the start, so an interrupted run still
 * knows which guarantees it never reached.
 */
export class ScenarioCollector {
  readonly #pickles = new Map<string, PickleInfo>();
  readonly #testCases = new Map<string, string>();
  readonly #attempts = new Map<string, Attempt>();
  readonly #finished = new Map<string, ScenarioOutcome>();
  readonly #lines = new Map<string, number>();
  readonly #listeners: Array<(outcome: ScenarioOutcome) => void> = [];
  readonly #startListeners: Array<(scenario: { id: string; title: string }) => void> = [];

  onOutcome(listener: (outcome: ScenarioOutcome) => void): void {
    this.#listeners.push(listener);
  }

  /** Told when a scenario starts, for progress display. */
  onStart(listener: (scenario: { id: string; title: string }) => void): void {
    this.#startListeners.push(listener);
  }

  consume(envelope: Envelope): void {
    if (envelope.gherkinDocument) {
      for (const child of envelope.gherkinDocument.feature?.children ?? []) {
        if (child.scenario) this.#lines.set(child.scenario.id, child.scenario.location.line);
        for (const nested of child.rule?.children ?? []) {
          if (nested.scenario) this.#lines.set(nested.scenario.id, nested.scenario.location.line);
        }
      }
    } else if (envelope.pickle) {
      const { id, name, uri, tags, astNodeIds } = envelope.pickle;
      const tagNames = tags.map((tag) => tag.name);
      const line = astNodeIds.map((node) => this.#lines.get(node)).find((l) => l !== undefined);
      this.#pickles.set(id, {
        id: guaranteeIdOf(tagNames, name),
        title: name,
        tags: tagNames,
        location: line === undefined ? uri : `${uri}:${line}`,
      });
    } else if (envelope.testCase) {
      this.#testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    } else if (envelope.testCaseStarted) {
      const pickleId = this.#testCases.get(envelope.testCaseStarted.testCaseId);
      if (!pickleId) return;
      this.#attempts.set(envelope.testCaseStarted.id, { pickleId, status: 'PASSED', evidence: [] });
      const pickle = this.#pickles.get(pickleId);
      if (pickle) for (const listener of this.#startListeners) listener(pickle);
    } else if (envelope.attachment?.testCaseStartedId && envelope.attachment.mediaType === EVIDENCE_MEDIA_TYPE) {
      const attempt = this.#attempts.get(envelope.attachment.testCaseStartedId);
      const record: unknown = JSON.parse(envelope.attachment.body);
      if (attempt && isEvidenceRecord(record)) attempt.evidence.push(record);
    } else if (envelope.testStepFinished) {
      const attempt = this.#attempts.get(envelope.testStepFinished.testCaseStartedId);
      const { status, message, exception } = envelope.testStepFinished.testStepResult;
      if (attempt && SEVERITY.indexOf(status as ScenarioStatus) < SEVERITY.indexOf(attempt.status)) {
        attempt.status = status as ScenarioStatus;
        if (message) attempt.message = message.split('\n')[0];
        if (exception?.type) attempt.errorType = exception.type;
      }
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      const attempt = this.#attempts.get(envelope.testCaseFinished.testCaseStartedId);
      const pickle = attempt && this.#pickles.get(attempt.pickleId);
      if (!attempt || !pickle) return;
      const outcome: ScenarioOutcome = {
        ...pickle,
        status: attempt.status,
        ...(attempt.message ? { message: attempt.message } : {}),
        ...(attempt.errorType ? { errorType: attempt.errorType } : {}),
        evidence: attempt.evidence,
      };
      this.#finished.set(attempt.pickleId, outcome);
      for (const listener of this.#listeners) listener(outcome);
    }
  }

  /**
   * Every scenario in feature order. One that never finished is NOT_RUN, carrying whatever
   * evidence it had gathered when the run stopped; one the tag filter left out is NOT_SELECTED
   * (Cucumber announces every selected test case before it runs the first).
   */
  outcomes(): ScenarioOutcome[] {
    const partial = new Map<string, EvidenceRecord[]>();
    for (const attempt of this.#attempts.values()) partial.set(attempt.pickleId, [...attempt.evidence]);
    const selected = new Set(this.#testCases.values());
    return [...this.#pickles.entries()].map(([pickleId, pickle]) =>
      this.#finished.get(pickleId)
      ?? { ...pickle, status: selected.has(pickleId) ? 'NOT_RUN' : 'NOT_SELECTED', evidence: partial.get(pickleId) ?? [] });
  }
}
