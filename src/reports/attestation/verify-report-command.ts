/**
 * `npm run verify-report` (scripts/verify-report.ts is its entry point). What it does and its exit
 * codes are described at the top of that script and in docs/evidence.md.
 */
import { createPublicKey } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../../config/errors.ts';
import { runReportCommand, type CommandIo } from '../command-io.ts';
import { signRunAttestation } from './run-attestation.ts';
import { loadSigningKey, loadVerificationKey } from './signing-key.ts';
import { verificationLines, verifyRunDirectory } from './verify-run.ts';

const USAGE = 'usage: npm run verify-report -- <run folder> [--key PUBLIC.pem] [--signing-key PRIVATE.pem]';

async function run(argv: string[], cwd: string, out: (text: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { key: { type: 'string' }, 'signing-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UserError(`${(error as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  if (parsed.values.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UserError(`name one run folder (reports/latest, reports/runs/<run id>); ${USAGE}`);
  const dir = resolve(cwd, parsed.positionals[0]!);
  const signingKey = parsed.values['signing-key'] ? await loadSigningKey(resolve(cwd, parsed.values['signing-key'])) : undefined;
  const givenKey = parsed.values.key ? await loadVerificationKey(resolve(cwd, parsed.values.key)) : undefined;

  let verification = await verifyRunDirectory(dir, givenKey ? { publicKey: givenKey } : {});
  if (!signingKey) {
    out(`${verificationLines(verification, givenKey).join('\n')}\n`);
    return verification.ok ? 0 : 1;
  }
  // Sign only what was just found unchanged (and, with --key, already signed by that key); then verify as a
  // reader would: with --key, else with the public half of the key that signed.
  if (!verification.ok || !verification.attestation) {
    out(`${verificationLines(verification, givenKey).join('\n')}\nnot signed: the folder does not pass verification\n`);
    return 1;
  }
  await signRunAttestation(dir, verification.attestation, signingKey);
  const publicKey = givenKey ?? createPublicKey(signingKey);
  verification = await verifyRunDirectory(dir, { publicKey });
  out('signed the statement\n');
  out(`${verificationLines(verification, publicKey).join('\n')}\n`);
  return verification.ok ? 0 : 1;
}

/** `npm run verify-report`: a user mistake is one line on `err` and exit 2, a defect is thrown. */
export function verifyReportCommand(argv: string[], io: CommandIo): Promise<number> {
  return runReportCommand(run, argv, io);
}
