import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { describeHubChange, type HubChange, type HubChangeRecorder } from '../fspiop/hub-change.ts';
import type { HubAdminClient } from '../fspiop/hub-admin-client.ts';
import { redactUrl } from '../support/url.ts';

const Change = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('netDebitCap'), participant: z.string(), currency: z.string(), previous: z.number() }),
  z.object({ kind: z.literal('liquidityOut'), participant: z.string(), currency: z.string(), amount: z.number() }),
]);
const JournalFile = z.object({
  version: z.literal(1),
  entries: z.array(z.object({ id: z.string(), adminUrl: z.string(), recordedAt: z.string(), change: Change })),
});
type JournalEntry = z.infer<typeof JournalFile>['entries'][number];

/** What `restorePending` put back, so the run can say so (and never blame the hub for it). */
export interface RestoredChange {
  adminUrl: string;
  recordedAt: string;
  change: HubChange;
  description: string;
}

/** The journal file cannot be read or written: it names the file and what to do. */
export class HubChangeJournalError extends Error {
  override readonly name = 'HubChangeJournalError';
}

/**
 * Temporary changes a run makes to a hub (a lowered net debit cap, liquidity taken out), written to
 * a JSON file BEFORE they are made and struck out once undone: a run killed in between leaves its
 * entry behind, and the next run's `restorePending()` puts the hub back. Entries are keyed by the
 * admin URL (redacted: a key in its query is never written to disk), so a run against one hub never
 * touches another's. Every write is a temporary file renamed over the journal, so a kill mid-write
 * leaves the old journal or the new one, never half of one. Writes within one process are queued;
 * two runs sharing one file at the same moment are not supported (one reports directory per run).
 */
export class HubChangeJournal implements HubChangeRecorder {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  get file(): string {
    return this.#file;
  }

  async record(adminUrl: string, change: HubChange): Promise<string> {
    const id = randomUUID();
    await this.#update((entries) => [...entries, { id, adminUrl: redactUrl(adminUrl), recordedAt: new Date().toISOString(), change }]);
    return id;
  }

  async settle(id: string): Promise<void> {
    await this.#update((entries) => entries.filter((entry) => entry.id !== id));
  }

  /** Entries not yet undone, for every hub or for one admin URL. */
  async pending(adminUrl?: string): Promise<RestoredChange[]> {
    const entries = await this.#serialised(() => this.#read());
    return entries.filter((entry) => adminUrl === undefined || entry.adminUrl === redactUrl(adminUrl)).map(restoredOf);
  }

  /**
   * Puts back every change a killed run left on the hub behind `client` (others stay for their own
   * hub), oldest last so a cap changed twice ends at its first value; each entry goes once undone.
   * A change that cannot be undone stays in the journal and the error says which and why.
   */
  async restorePending(client: HubAdminClient): Promise<RestoredChange[]> {
    const mine = (await this.#serialised(() => this.#read())).filter((entry) => entry.adminUrl === client.url).reverse();
    const restored: RestoredChange[] = [];
    for (const entry of mine) {
      try {
        await client.undo(entry.change);
      } catch (error) {
        throw new HubChangeJournalError(`${this.#file}: could not put back the ${describeHubChange(entry.change)} (left by a run at ${entry.recordedAt}): ${(error as Error).message}. `
          + 'The entry stays in the journal; the next run tries again, or put it back by hand and delete the entry.', { cause: error });
      }
      await this.settle(entry.id);
      restored.push(restoredOf(entry));
    }
    return restored;
  }

  #update(change: (entries: JournalEntry[]) => JournalEntry[]): Promise<void> {
    return this.#serialised(async () => this.#write(change(await this.#read())));
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new HubChangeJournalError(`cannot read the hub change journal ${this.#file}: ${(error as Error).message}`, { cause: error });
    }
    let parsed: ReturnType<typeof JournalFile.safeParse>;
    try {
      parsed = JournalFile.safeParse(JSON.parse(text));
    } catch {
      parsed = JournalFile.safeParse(undefined);
    }
    if (!parsed.success) {
      throw new HubChangeJournalError(`the hub change journal ${this.#file} is not one this tool wrote: look at it (it lists changes to put back on a hub), then move it away`);
    }
    return parsed.data.entries;
  }

  async #write(entries: JournalEntry[]): Promise<void> {
    const temporary = `${this.#file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await mkdir(dirname(this.#file), { recursive: true });
      await writeFile(temporary, `${JSON.stringify({ version: 1, entries }, null, 2)}\n`, { flush: true });
      await rename(temporary, this.#file);
    } catch (error) {
      throw new HubChangeJournalError(`cannot write the hub change journal ${this.#file}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function restoredOf(entry: JournalEntry): RestoredChange {
  return { adminUrl: entry.adminUrl, recordedAt: entry.recordedAt, change: entry.change, description: describeHubChange(entry.change) };
}
