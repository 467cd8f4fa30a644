import type { KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { UserError } from '../../config/errors.ts';
import { envelopeSignedBy, keyIdOf } from './dsse-envelope.ts';
import { isAttestationFile, readRunAttestation, type RunAttestation } from './run-attestation.ts';
import { insideRunDir, runFileNames, sha256OfFile } from './run-files.ts';

export type FileState = 'OK' | 'CHANGED' | 'MISSING' | 'OUTSIDE';

/**
 * - `unsigned`: no signature, and no key was asked for;
 * - `unchecked`: signed, but no key was given to check it with (the digests alone are checked);
 * - `valid` / `invalid`: a signature verifies with the given key / none does;
 * - `missing`: a key was given, but the statement is not signed.
 */
export type SignatureState = 'unsigned' | 'unchecked' | 'valid' | 'invalid' | 'missing';

export interface RunVerification {
  dir: string;
  /** Every subject of the statement and what its file is now. */
  files: Array<{ name: string; state: FileState }>;
  /** Files in the folder the statement does not cover (written after it, or added by someone). */
  uncovered: string[];
  signature: SignatureState;
  /** keyids of the envelope's signatures, when signed. */
  signers: string[];
  /** The statement itself could not be read (changed, truncated, not a statement). */
  problem?: string;
  /** The predicate's result, when the statement was read. */
  result?: string;
  ok: boolean;
  /** What was read, for a caller that goes on to sign it. */
  attestation?: RunAttestation;
}

/**
 * Recomputes the digest of every file the statement names, lists the files it does not name,
 * and checks the signature with `publicKey` when one is given. `ok` only when every subject is
 * unchanged, nothing is uncovered, and — with a key — a signature verifies.
 */
export async function verifyRunDirectory(dir: string, options: { publicKey?: KeyObject } = {}): Promise<RunVerification> {
  const found = await stat(dir).catch(() => undefined);
  if (!found) throw new UserError(`no such folder "${dir}": name a run's folder (reports/latest, reports/runs/<run id>)`);
  if (!found.isDirectory()) throw new UserError(`"${dir}" is not a folder: name a run's folder (reports/latest, reports/runs/<run id>)`);

  const attestation = await readRunAttestation(dir);
  if ('problem' in attestation) {
    return { dir, files: [], uncovered: [], signature: options.publicKey ? 'invalid' : 'unsigned', signers: [], problem: attestation.problem, ok: false };
  }
  const files: RunVerification['files'] = [];
  const named = new Set<string>();
  for (const subject of attestation.statement.subject) {
    named.add(subject.name);
    const path = insideRunDir(dir, subject.name);
    if (!path) {
      files.push({ name: subject.name, state: 'OUTSIDE' });
      continue;
    }
    const digest = await sha256OfFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    files.push({ name: subject.name, state: digest === undefined ? 'MISSING' : digest === subject.digest.sha256.toLowerCase() ? 'OK' : 'CHANGED' });
  }
  const uncovered = (await runFileNames(dir)).filter((name) => !named.has(name) && !isAttestationFile(name));
  const signature = signatureState(attestation, options.publicKey);
  const ok = files.every((file) => file.state === 'OK') && uncovered.length === 0 && signature !== 'invalid' && signature !== 'missing';
  return {
    dir, files, uncovered, signature, ok, attestation,
    signers: attestation.envelope?.signatures.map((s) => s.keyid) ?? [],
    result: attestation.statement.predicate.result,
  };
}

function signatureState(attestation: RunAttestation, publicKey: KeyObject | undefined): SignatureState {
  if (!attestation.envelope) return publicKey ? 'missing' : 'unsigned';
  if (!publicKey) return 'unchecked';
  return envelopeSignedBy(attestation.envelope, publicKey) ? 'valid' : 'invalid';
}

/** What `npm run verify-report` prints: one line per file, then the signature and the verdict. */
export function verificationLines(verification: RunVerification, publicKey?: KeyObject): string[] {
  if (verification.problem) return [`FAILED   ${verification.problem}`, `verification FAILED: ${verification.dir}`];
  const lines = verification.files.map((file) => `${file.state.padEnd(8)} ${file.name}${file.state === 'OUTSIDE' ? ' (names a file outside the run folder)' : ''}`);
  for (const name of verification.uncovered) lines.push(`${'EXTRA'.padEnd(8)} ${name} (not covered by the statement)`);
  const keyid = publicKey ? keyIdOf(publicKey).slice(0, 16) : '';
  switch (verification.signature) {
    case 'unsigned': lines.push('signature: none (the statement is not signed; the digests show changes, not who made them)'); break;
    case 'unchecked': lines.push(`signature: present (${verification.signers.length}), not checked: give --key <public PEM> to check it`); break;
    case 'valid': lines.push(`signature: valid (key ${keyid}…)`); break;
    case 'invalid': lines.push(`signature: INVALID — no signature verifies with key ${keyid}…`); break;
    case 'missing': lines.push('signature: MISSING — a key was given, but the statement is not signed'); break;
  }
  const counts = (state: FileState) => verification.files.filter((file) => file.state === state).length;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const failures = [
    ...(['CHANGED', 'MISSING', 'OUTSIDE'] as const).filter((state) => counts(state) > 0).map((state) => `${plural(counts(state), 'file')} ${state.toLowerCase()}`),
    ...(verification.uncovered.length > 0 ? [`${plural(verification.uncovered.length, 'file')} not covered`] : []),
    ...(verification.signature === 'invalid' || verification.signature === 'missing' ? [`signature ${verification.signature}`] : []),
  ];
  lines.push(verification.ok
    ? `verification passed: ${plural(verification.files.length, 'file')} unchanged (statement result ${verification.result}): ${verification.dir}`
    : `verification FAILED (${failures.join(', ')}): ${verification.dir}`);
  return lines;
}
