// `npm run verify-report -- <run folder> [--key PUBLIC.pem] [--signing-key PRIVATE.pem]`: recomputes the digest of
// every file the run's in-toto statement (attestation.intoto.json) names and prints each OK / CHANGED / MISSING,
// then every file of the folder it does not cover (EXTRA). With --key, a signature of the statement must verify with
// that public key. With --signing-key, a statement whose files all match is signed (or countersigned) and the
// signature verified with the key's public half: a release manager signs what was checked, on their own machine.
// Exit 0: everything matches; 1: something changed, is missing, not covered, or a signature does not verify;
// 2: a user mistake (no such folder, no statement, an unreadable key), on one line.
import { createPublicKey } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../src/config/errors.ts';
import { signRunAttestation } from '../src/reports/attestation/run-attestation.ts';
import { loadSigningKey, loadVerificationKey } from '../src/reports/attestation/signing-key.ts';
import { verificationLines, verifyRunDirectory } from '../src/reports/attestation/verify-run.ts';

const USAGE = 'usage: npm run verify-report -- <run folder> [--key PUBLIC.pem] [--signing-key PRIVATE.pem]';

async function main(argv: string[]): Promise<number> {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { key: { type: 'string' }, 'signing-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UserError(`${(error as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UserError(`name one run folder (reports/latest, reports/runs/<run id>); ${USAGE}`);
  const dir = resolve(cwd, parsed.positionals[0]!);
  const signingKey = parsed.values['signing-key'] ? await loadSigningKey(resolve(cwd, parsed.values['signing-key'])) : undefined;
  const publicKey = parsed.values.key ? await loadVerificationKey(resolve(cwd, parsed.values.key)) : signingKey ? createPublicKey(signingKey) : undefined;

  let verification = await verifyRunDirectory(dir, signingKey ? {} : publicKey ? { publicKey } : {});
  if (signingKey) {
    // Sign only what was just found unchanged; then verify as a reader would, with the public half.
    if (!verification.ok || !verification.attestation) {
      process.stdout.write(`${verificationLines(verification).join('\n')}\nnot signed: the folder does not match its statement\n`);
      return 1;
    }
    await signRunAttestation(dir, verification.attestation, signingKey);
    verification = await verifyRunDirectory(dir, { publicKey: publicKey! });
    process.stdout.write('signed the statement\n');
  }
  process.stdout.write(`${verificationLines(verification, publicKey).join('\n')}\n`);
  return verification.ok ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  if (error instanceof UserError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 70;
});
