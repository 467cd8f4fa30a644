import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../config/errors.ts';
import { writeFileAtomically } from '../atomic-file.ts';
import { readRecordedRun, type RecordedRun } from '../runs/recorded-run.ts';
import { IN_TOTO_PAYLOAD_TYPE, isDsseEnvelope, signEnvelope, type DsseEnvelope } from './dsse-envelope.ts';
import { runFileNames, sha256OfFile } from './run-files.ts';
import { isTestResultStatement, testResultStatement, type Subject, type TestResultStatement } from './test-result-statement.ts';

/** Written last in a run's folder: the statement, or the DSSE envelope holding it when signed. */
export const ATTESTATION_FILE = 'attestation.intoto.json';
const RESULT_FILE = 'result.json';

export interface RunAttestationOptions {
  /** A private key (Ed25519 or ECDSA P-256; `loadSigningKey`, `signingKeyFromEnvironment`): the statement is written inside a signed DSSE envelope. */
  signingKey?: KeyObject;
  /** The run's result, when the caller holds it; otherwise read from `result.json` in the folder. */
  result?: RecordedRun;
  /** Where the run can be seen (a CI job), recorded as the predicate's `url`. */
  url?: string;
}

/** A run folder's attestation as read from disk: the statement, and the envelope when it was signed. */
export interface RunAttestation {
  statement: TestResultStatement;
  /** The exact bytes the digests and signatures are over. */
  payload: Buffer;
  envelope?: DsseEnvelope;
}

/**
 * Digests every file in `dir` (result.json, report.html, junit.xml, summary.md, …), writes the
 * in-toto test-result statement over them as `attestation.intoto.json` — signed when a key is
 * given — and returns its path. Call it after every other reporter has written: a file written
 * later is reported by `verifyRunDirectory` as not covered.
 */
export async function writeRunAttestation(dir: string, options: RunAttestationOptions = {}): Promise<string> {
  const result = options.result ?? await readRecordedRun(join(dir, RESULT_FILE));
  const names = (await runFileNames(dir)).filter((name) => !isAttestationFile(name));
  const subject: Subject[] = [];
  for (const name of names) subject.push({ name, digest: { sha256: await sha256OfFile(join(dir, ...name.split('/'))) } });
  const statement = testResultStatement(result, subject, options.url ? { url: options.url } : {});
  const payload = Buffer.from(`${JSON.stringify(statement, null, 2)}\n`, 'utf8');
  return writeAttestationFile(dir, options.signingKey ? `${JSON.stringify(signEnvelope(payload, options.signingKey), null, 2)}\n` : payload);
}

/** Adds a signature to the folder's statement (signing it if it was not): the statement's bytes are unchanged. */
export async function signRunAttestation(dir: string, attestation: RunAttestation, signingKey: KeyObject): Promise<string> {
  const envelope = signEnvelope(attestation.payload, signingKey, attestation.envelope);
  return writeAttestationFile(dir, `${JSON.stringify(envelope, null, 2)}\n`);
}

/** Reads the folder's attestation; a missing file is the user's mistake (exit 2), anything unreadable inside it is reported as `problem`. */
export async function readRunAttestation(dir: string): Promise<RunAttestation | { problem: string }> {
  const file = join(dir, ATTESTATION_FILE);
  let text: Buffer;
  try {
    text = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`no ${ATTESTATION_FILE} in "${dir}": a run writes one last in its folder (reports/runs/<run id>/, reports/latest; a run killed before it finished has none); name such a folder`);
    }
    throw new UserError(`cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`, [], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.toString('utf8'));
  } catch {
    return { problem: `${ATTESTATION_FILE} is not JSON: it was changed or truncated` };
  }
  if (isDsseEnvelope(json)) {
    if (json.payloadType !== IN_TOTO_PAYLOAD_TYPE) return { problem: `${ATTESTATION_FILE} is an envelope of "${json.payloadType}", not an in-toto statement` };
    const payload = Buffer.from(json.payload, 'base64');
    const statement = parseStatement(payload);
    return statement ? { statement, payload, envelope: json } : { problem: `the envelope in ${ATTESTATION_FILE} does not hold an in-toto test-result statement` };
  }
  const statement = parseStatement(text);
  return statement ? { statement, payload: text } : { problem: `${ATTESTATION_FILE} is not an in-toto test-result statement` };
}

function parseStatement(payload: Buffer): TestResultStatement | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return isTestResultStatement(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The statement itself and its draft while it is written: never a subject. */
export function isAttestationFile(name: string): boolean {
  return name === ATTESTATION_FILE || (name.startsWith(`${ATTESTATION_FILE}.`) && name.endsWith('.tmp'));
}

/** Written whole under a private name, then renamed into place: a reader sees the old statement or the new one, never half of one. */
async function writeAttestationFile(dir: string, content: string | Buffer): Promise<string> {
  const file = join(dir, ATTESTATION_FILE);
  await writeFileAtomically(file, content);
  return file;
}
