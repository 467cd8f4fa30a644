import { randomUUID } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../config/errors.ts';
import { ensureDirectory } from '../support/files.ts';

interface Holder {
  pid: number;
  startedAt: string;
  token: string;
}

const LOCK_FILE = '.run.lock';

/**
 * One run owns a reports folder at a time: two runs writing one folder would interleave their
 * Allure results and overwrite each other's result.json. A lock left by a run that died (its
 * process is gone) is taken over.
 */
export class ReportsLock {
  readonly #file: string;
  readonly #token: string;

  private constructor(file: string, token: string) {
    this.#file = file;
    this.#token = token;
  }

  static async acquire(reportsDir: string): Promise<ReportsLock> {
    await ensureDirectory(reportsDir);
    const file = join(reportsDir, LOCK_FILE);
    const holder: Holder = { pid: process.pid, startedAt: new Date().toISOString(), token: randomUUID() };
    // Written whole under a private name, then linked into place: the lock appears with its
    // content or not at all, so no competitor can read it half-written and take it for stale.
    const draft = `${file}.${process.pid}.${holder.token}`;
    await writeFile(draft, JSON.stringify(holder));
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        try {
          await link(draft, file);
          return new ReportsLock(file, holder.token);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const current = await ReportsLock.holder(reportsDir);
        if (current) {
          throw new UserError(`reports folder "${reportsDir}" is in use by another run (process ${current.pid}, started ${current.startedAt}); `
            + 'wait for it to finish, or give this run its own --reports-dir');
        }
        await unlink(file).catch(() => undefined);
      }
      throw new UserError(`reports folder "${reportsDir}" is being claimed by another run at this moment; give this run its own --reports-dir`);
    } finally {
      await unlink(draft).catch(() => undefined);
    }
  }

  /** The live run holding the folder, if any. */
  static async holder(reportsDir: string): Promise<Holder | undefined> {
    let holder: Holder;
    try {
      holder = JSON.parse(await readFile(join(reportsDir, LOCK_FILE), 'utf8')) as Holder;
    } catch {
      return undefined;
    }
    return isAlive(holder.pid) ? holder : undefined;
  }

  async release(): Promise<void> {
    const current = await readFile(this.#file, 'utf8').then((text) => JSON.parse(text) as Holder, () => undefined);
    if (current?.token === this.#token) await unlink(this.#file).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
