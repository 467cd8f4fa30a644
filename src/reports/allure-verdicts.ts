import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuaranteeVerdict, Verdict } from '../verdict/guarantee-verdict.ts';

/** How Allure names each verdict. */
const ALLURE_STATUS: Record<Verdict, 'passed' | 'failed' | 'skipped'> = { PASS: 'passed', FAIL: 'failed', NOT_EVALUATED: 'skipped' };

interface AllureResult {
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  labels?: { name: string; value: string }[];
}

/**
 * Makes every scenario's Allure result say its guarantee's verdict. Allure's reporter derives a
 * scenario's status from its steps and ranks "passed" above "skipped", so a scenario whose last
 * step could not measure — or measured a pass under a reduced load — would read as passed there
 * while the verdict is NOT EVALUATED. The verdict's reason becomes the status message.
 */
export async function alignAllureWithVerdicts(allureDir: string, verdicts: readonly GuaranteeVerdict[]): Promise<void> {
  const byId = new Map(verdicts.map((verdict) => [verdict.id, verdict]));
  const files = (await readdir(allureDir).catch(() => [] as string[])).filter((file) => file.endsWith('-result.json'));
  for (const file of files) {
    const path = join(allureDir, file);
    const result = await readResult(path);
    if (!result) continue;
    const id = result.labels?.find((label) => label.name === 'tag' && label.value.startsWith('@guarantee:'))?.value.slice('@guarantee:'.length);
    const verdict = id === undefined ? undefined : byId.get(id);
    if (!verdict) continue;
    const status = ALLURE_STATUS[verdict.verdict];
    if (result.status === status && verdict.reason === null) continue;
    result.status = status;
    result.statusDetails = { ...result.statusDetails, ...(verdict.reason === null ? {} : { message: `${verdict.verdict.replace('_', ' ')}: ${verdict.reason}` }) };
    // Written aside and renamed: a report generated meanwhile never reads half a file.
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(result));
    await rename(temporary, path);
  }
}

/** A result file as Allure wrote it; undefined for one that cannot be read (never the run's concern). */
async function readResult(path: string): Promise<AllureResult | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as AllureResult;
  } catch {
    return undefined;
  }
}
