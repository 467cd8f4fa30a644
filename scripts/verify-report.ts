// `npm run verify-report -- <run folder> [--key PUBLIC.pem] [--signing-key PRIVATE.pem]`: recomputes the digest of
// every file the run's in-toto statement (attestation.intoto.json) names and prints each OK / CHANGED / MISSING,
// then every file of the folder it does not cover (EXTRA). With --key, a signature of the statement must verify with
// that public key. With --signing-key, a statement whose files all match is signed (or countersigned) and the
// signature verified with the key's public half: a release manager signs what was checked, on their own machine.
// Exit 0: everything matches; 1: something changed, is missing, not covered, or a signature does not verify;
// 2: a user mistake (no such folder, no statement, an unreadable key), on one line.
import { verifyReportCommand } from '../src/reports/attestation/verify-report-command.ts';

const io = { cwd: process.env.INIT_CWD ?? process.cwd(), out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
verifyReportCommand(process.argv.slice(2), io).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 70;
});
