import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../config/errors.ts';
import { PROJECT_ROOT } from '../config/project.ts';
import { clearOurAllureResults, recordOurAllureResults } from './allure-results-dir.ts';
import { alignAllureWithVerdicts } from './allure-verdicts.ts';
import { writeFileAtomically } from './atomic-file.ts';
import type { Reporter, RunEvidence, RunStarted, WrittenFile } from './reporter.ts';
import type { ResultDocument } from './result-document.ts';

/**
 * The Allure results: what allure-cucumberjs wrote during the run, then made to say the verdicts
 * (`alignAllureWithVerdicts`), with the run's fingerprint as Allure's environment, categories by
 * concern, and every hook named — Allure shows an unnamed fixture as "Unknown test".
 */
export class AllureReporter implements Reporter {
  readonly name = 'allure';
  /** The files in allure-results/ that other tools wrote: never ours to remove. */
  #notOurs: Set<string> = new Set();

  async onRunStarted(run: RunStarted): Promise<void> {
    try {
      this.#notOurs = await clearOurAllureResults(run.allureDir);
    } catch (error) {
      throw new UserError(`reports directory "${dirname(run.allureDir)}" cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}); choose another with --reports-dir`, [], { cause: error });
    }
  }

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    const { allureDir, document } = evidence;
    await alignAllureWithVerdicts(allureDir, document.guarantees);
    await nameHookFixtures(allureDir);
    await writeFile(join(allureDir, 'environment.properties'), environmentProperties(document));
    const concerns = [...new Set(evidence.catalogue.map((entry) => entry.concern ?? 'other'))];
    await writeFile(join(allureDir, 'categories.json'), `${JSON.stringify(categoriesByConcern(concerns), null, 2)}\n`);
    await recordOurAllureResults(allureDir, this.#notOurs).catch(() => undefined);
    const command = resolve(evidence.reportsDir) === resolve(PROJECT_ROOT, 'reports') ? 'npm run report' : `npm run report -- ${evidence.reportsDir}`;
    // An Allure report made before this run still opens, and would be read as this run's.
    const earlier = await stat(join(evidence.reportsDir, 'allure-report', 'index.html')).then(() => true, () => false);
    return [{ path: allureDir, note: `${command} → HTML${earlier ? `; ${join(evidence.reportsDir, 'allure-report')} is an EARLIER run's report until you do` : ''}` }];
  }
}

/**
 * Allure's `environment.properties`: the fingerprint, one `key=value` a line (properties syntax:
 * `\`, `=`, `:` and line breaks escaped), so every Allure report says what was tested with what.
 */
export function environmentProperties(document: ResultDocument): string {
  const { fingerprint: f } = document;
  const entries: Array<[string, string]> = [
    ['run', document.runId], ['tier', document.tier], ['profile', document.profile],
    ['certificate', document.certificate.statement],
    ['target', `${f.target.kind}: ${f.target.description}`],
    ...Object.entries(f.target.tested).map(([what, value]): [string, string] => [`tested: ${what}`, value]),
    ...Object.entries(document.environment?.endpoints ?? {}).map(([name, url]): [string, string] => [`endpoint: ${name}`, url]),
    ['tool', `${f.tool.name} ${f.tool.version}${f.tool.gitCommit ? ` (commit ${f.tool.gitCommit})` : ''}`],
    ['node', f.node], ['platform', f.platform], ['config digest', f.configDigest], ['runner', f.runner ?? 'none'],
    ['started', f.startedAt], ['finished', f.finishedAt], ...(document.interrupted ? [['interrupted', 'yes'] as [string, string]] : []),
  ];
  return `${entries.map(([key, value]) => `${escapeProperty(key, true)}=${escapeProperty(value, false)}`).join('\n')}\n`;
}

/** Properties syntax: a key escapes its separators (`=`, `:`, space) and comment marks; a value only a leading space; both backslashes and line breaks. */
function escapeProperty(text: string, key: boolean): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');
  return key ? escaped.replace(/([=:# !])/g, '\\$1') : escaped.replace(/^ /, '\\ ');
}

/**
 * Allure categories, one per concern and state, matched on the message `alignAllureWithVerdicts`
 * writes ("FAIL · security: …"): the Categories tab groups what failed and what was not evaluated by concern.
 */
export function categoriesByConcern(concerns: readonly string[]): Array<{ name: string; matchedStatuses: string[]; messageRegex: string }> {
  const states = [
    { words: 'FAIL', status: 'failed', name: 'failed' },
    { words: 'NOT EVALUATED', status: 'skipped', name: 'not evaluated' },
    { words: 'REDUCED LOAD ONLY', status: 'skipped', name: 'held only a reduced load' },
  ];
  return concerns.flatMap((concern) => states.map((state) => ({
    name: `${concern}: ${state.name}`,
    matchedStatuses: [state.status],
    messageRegex: `^${state.words} · ${concern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [\\s\\S]*`,
  })));
}

/**
 * allure-cucumberjs writes each Before/After hook of a scenario as a fixture in a `-container.json`
 * file, named by the hook's `name` option; a hook without one (every hook of a support library
 * that does not name them) has no name, which Allure shows as "Unknown test". Our hooks are named
 * (steps/hooks.ts); any fixture still unnamed is named for its place here.
 */
export async function nameHookFixtures(allureDir: string): Promise<void> {
  const files = (await readdir(allureDir).catch(() => [] as string[])).filter((file) => file.endsWith('-container.json'));
  for (const file of files) {
    const path = join(allureDir, file);
    let container: { befores?: Array<{ name?: string }>; afters?: Array<{ name?: string }> };
    try {
      container = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      continue;
    }
    let renamed = false;
    for (const [fixtures, name] of [[container.befores, 'Before hook'], [container.afters, 'After hook']] as const) {
      for (const fixture of fixtures ?? []) {
        if (fixture.name) continue;
        fixture.name = name;
        renamed = true;
      }
    }
    if (!renamed) continue;
    await writeFileAtomically(path, JSON.stringify(container));
  }
}
