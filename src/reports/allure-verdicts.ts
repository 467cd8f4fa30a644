import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file.ts';
import { isReducedLoadResult, type GuaranteeVerdict, type Verdict } from '../verdict/guarantee-verdict.ts';

/** How Allure names each verdict. */
const ALLURE_STATUS: Record<Verdict, 'passed' | 'failed' | 'skipped'> = { PASS: 'passed', FAIL: 'failed', NOT_EVALUATED: 'skipped' };

interface AllureResult {
  uuid?: string;
  name?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  labels?: { name: string; value: string }[];
}

/**
 * The state a verdict is shown in: its verdict, or REDUCED LOAD ONLY for a pass held only under a
 * load the profile reduced — its own state, never read as passed nor as plainly not evaluated.
 */
export function stateOf(verdict: Pick<GuaranteeVerdict, 'verdict' | 'reducedLoad'>): 'PASS' | 'FAIL' | 'NOT EVALUATED' | 'REDUCED LOAD ONLY' {
  if (isReducedLoadResult(verdict)) return 'REDUCED LOAD ONLY';
  return verdict.verdict === 'NOT_EVALUATED' ? 'NOT EVALUATED' : verdict.verdict;
}

/** "FAIL · sla: <reason>": the message Allure shows, and what its categories (by concern) match. */
export function allureMessage(verdict: GuaranteeVerdict): string | undefined {
  return verdict.reason === null ? undefined : `${stateOf(verdict)} · ${verdict.concern ?? 'other'}: ${verdict.reason}`;
}

/**
 * Makes every scenario's Allure result say its guarantee's verdict. Allure's reporter derives a
 * scenario's status from its steps and ranks "passed" above "skipped", so a scenario whose last
 * step could not measure — or measured a pass under a reduced load — would read as passed there
 * while the verdict is NOT EVALUATED. The verdict's state, concern and reason become the status
 * message. A guarantee with no Allure result at all (the run was interrupted before its scenario
 * started) gets one, skipped with its reason, so Allure lists every guarantee of the tier.
 */
export async function alignAllureWithVerdicts(allureDir: string, verdicts: readonly GuaranteeVerdict[]): Promise<void> {
  const byId = new Map(verdicts.map((verdict) => [verdict.id, verdict]));
  const seen = new Set<string>();
  const present = await readdir(allureDir).catch(() => undefined);
  // No folder: Allure never ran (the run stopped before Cucumber), so there is nothing to align.
  if (!present) return;
  const files = present.filter((file) => file.endsWith('-result.json'));
  for (const file of files) {
    const path = join(allureDir, file);
    const result = await readResult(path);
    if (!result) continue;
    const id = result.labels?.find((label) => label.name === 'tag' && label.value.startsWith('@guarantee:'))?.value.slice('@guarantee:'.length);
    const verdict = id === undefined ? undefined : byId.get(id);
    if (!verdict) continue;
    seen.add(verdict.id);
    const status = ALLURE_STATUS[verdict.verdict];
    const message = allureMessage(verdict);
    if (result.status === status && message === undefined) continue;
    result.status = status;
    result.statusDetails = { ...result.statusDetails, ...(message === undefined ? {} : { message }) };
    await writeFileAtomically(path, JSON.stringify(result));
  }
  for (const verdict of verdicts) {
    if (seen.has(verdict.id)) continue;
    await writeFileAtomically(join(allureDir, `${randomUUID()}-result.json`), JSON.stringify(neverStarted(verdict)));
  }
}

/** An Allure result for a guarantee whose scenario never started: what allure-cucumberjs would have written, skipped. */
function neverStarted(verdict: GuaranteeVerdict): Record<string, unknown> {
  const uuid = randomUUID();
  const now = Date.now();
  return {
    uuid, historyId: verdict.id, name: verdict.title, fullName: verdict.location, status: ALLURE_STATUS[verdict.verdict], stage: 'finished',
    statusDetails: { message: allureMessage(verdict) ?? 'NOT EVALUATED' }, steps: [], attachments: [], parameters: [], start: now, stop: now,
    labels: [
      { name: 'tag', value: `@guarantee:${verdict.id}` },
      ...(verdict.concern ? [{ name: 'tag', value: `@concern:${verdict.concern}` }] : []),
      { name: 'feature', value: verdict.location.replace(/:\d+$/, '') },
    ],
  };
}

/** A result file as Allure wrote it; undefined for one that cannot be read (never the run's concern). */
async function readResult(path: string): Promise<AllureResult | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as AllureResult;
  } catch {
    return undefined;
  }
}
