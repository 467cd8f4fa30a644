import type { KeyObject } from 'node:crypto';
import { writeRunAttestation } from './attestation/run-attestation.ts';
import { signingKeyFromEnvironment } from './attestation/signing-key.ts';
import type { Reporter, RunEvidence, RunStarted, WrittenFile } from './reporter.ts';

/**
 * `attestation.intoto.json`, after every other file of the run's folder is written: an in-toto
 * test-result statement over their digests, signed when CONFORMANCE_SIGNING_KEY names a key
 * (docs/evidence.md). The key is read when the run starts, so a wrong one stops the run before
 * anything is measured rather than after an hour of load.
 */
export class AttestationReporter implements Reporter {
  readonly name = 'in-toto';
  #signingKey: KeyObject | undefined;

  async onRunStarted(_run: RunStarted): Promise<void> {
    this.#signingKey = await signingKeyFromEnvironment();
  }

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    const path = await writeRunAttestation(evidence.runDir, {
      result: evidence.document,
      ...(this.#signingKey ? { signingKey: this.#signingKey } : {}),
    });
    return [{ path, note: `${this.#signingKey ? 'signed; ' : ''}npm run verify-report -- ${evidence.runDir}` }];
  }
}
