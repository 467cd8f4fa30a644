import { loadConfig, readConfigFile } from '../config/load-config.ts';
import { prepareDataDir } from '../config/data-dir.ts';
import { UserError } from '../config/errors.ts';
import { resolveSecurity } from '../config/security-credentials.ts';
import { checkAttestations, readCatalogue } from '../catalogue/feature-catalogue.ts';
import { PROJECT_ROOT, TOOL } from '../config/project.ts';
import { join, resolve } from 'node:path';
import { ReportsLock } from '../reports/reports-lock.ts';
import { noRunDocument, writeResultDocument } from '../reports/result-document.ts';
import type { ConformanceRun } from '../run/conformance-run.ts';
import { ExitCode } from '../run/exit-codes.ts';
import { parseCliArgs } from './args.ts';
import { HELP } from './help.ts';
import { abandonedLines } from '../support/held-resources.ts';
import { onInterrupt } from './signals.ts';

/** `npm run conformance`. Returns the exit code; user mistakes print one line, never a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  let run: ConformanceRun;
  // npm runs scripts from the package root; paths the user typed are relative to where they typed them.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  // Known before the config is valid, so a bad command line still replaces the last run's result.
  let reportsDir = resolve(cwd, reportsDirFrom(argv) ?? 'reports');
  let configFile: string | undefined;
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      process.stdout.write(HELP);
      return ExitCode.ok;
    }
    if (options.list) {
      const { printCatalogue } = await import('./catalogue.ts');
      return printCatalogue(process.stdout, options.overrides.tier);
    }
    configFile = options.configFile && resolve(cwd, options.configFile);
    const config = await loadConfig({ file: configFile, overrides: options.overrides });
    // An attestation for no guarantee is a typo in the config: refused with the other config mistakes, before anything runs.
    checkAttestations(config.tier, config.attestations, await readCatalogue(join(PROJECT_ROOT, 'features')));
    config.reportsDir = resolve(cwd, config.reportsDir);
    if (config.target === 'embedded' && config.embedded.dataDir) {
      config.embedded.dataDir = resolve(cwd, config.embedded.dataDir);
      await prepareDataDir(config.embedded.dataDir, 'embedded.dataDir');
    }
    if (config.target === 'compose' && config.compose.harness) config.compose.harness = resolve(cwd, config.compose.harness);
    reportsDir = config.reportsDir;
    // Every credential read and checked now: a missing file or unset variable stops the run before anything starts (exit 2).
    const credentials = 'security' in config ? await resolveSecurity(config.security, { cwd, env: process.env }) : undefined;
    // Imported once the command is known to be valid: the run pulls in Cucumber, the FSPIOP SDK and
    // every probe (most of two seconds), which a mistyped option should not wait for.
    const { ConformanceRun } = await import('../run/conformance-run.ts');
    run = new ConformanceRun(config, {
      out: process.stdout,
      colour: process.stdout.isTTY === true && !process.env.NO_COLOR,
      live: process.stdout.isTTY === true,
      requireCertificate: options.requireCertificate,
      credentials,
      ...(options.tags ? { tags: options.tags } : {}),
      ...(options.requireEvaluated ? { requireEvaluated: options.requireEvaluated } : {}),
    });
  } catch (error) {
    const exitCode = reportUserError(error);
    // Only here is the file read a second time: an invalid config may still name where results go.
    if (configFile && !reportsDirFrom(argv)) reportsDir = resolve(cwd, await rawReportsDir(configFile) ?? 'reports');
    // A run in progress owns that folder and its result; a mistaken second command must not replace it.
    // Nothing is removed here: the folder comes from a command line or config that was refused, and
    // allure-results/ holds other tools' files too. Only a run that starts clears its own earlier files.
    if (!(await ReportsLock.holder(reportsDir))) {
      await writeResultDocument(reportsDir, noRunDocument(TOOL, `the run did not start: ${(error as Error).message}`, exitCode)).catch(() => undefined);
    }
    return exitCode;
  }
  // Left registered until the process exits: the echo of a Ctrl-C can arrive after the run has
  // already finished, and without a handler it would kill the process before it sets its exit code.
  // A second Ctrl-C during the teardown exits at once (a teardown can hang on an engine), naming what it leaves running.
  onInterrupt((signal) => run.interrupt(signal), (signal) => {
    process.stderr.write(abandonedLines(signal, run.held).map((line) => `${line}\n`).join(''));
    process.exit(ExitCode.interrupted);
  });
  try {
    const { exitCode } = await run.execute();
    return exitCode;
  } catch (error) {
    return reportUserError(error);
  }
}

function reportsDirFrom(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--reports-dir');
  const inline = argv.find((arg) => arg.startsWith('--reports-dir='));
  const value = index >= 0 ? argv[index + 1] : inline?.slice('--reports-dir='.length);
  return value?.trim() ? value : undefined;
}

/** The config file's reportsDir even when the rest of the file is invalid. */
async function rawReportsDir(file: string): Promise<string | undefined> {
  const raw = await readConfigFile(file).catch(() => undefined);
  const value = (raw as { reportsDir?: unknown } | undefined)?.reportsDir;
  return typeof value === 'string' ? value : undefined;
}

/** One line (plus details) for a user's mistake, exit 2; anything else is a defect and keeps its stack. */
function reportUserError(error: unknown): number {
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  for (const detail of error.details.slice(1)) process.stderr.write(`       ${detail}\n`);
  return ExitCode.usage;
}
