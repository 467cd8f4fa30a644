import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { readCatalogue } from '../catalogue/feature-catalogue.ts';
import { PROJECT_ROOT } from '../config/project.ts';
import type { Tier } from '../config/schema.ts';
import { ExitCode } from '../run/exit-codes.ts';

/** `--list`: tier → guarantee → capability needed, straight from the feature files. */
export async function printCatalogue(out: Writable, tier?: Tier): Promise<number> {
  const entries = await readCatalogue(join(PROJECT_ROOT, 'features'), tier);
  const needsOf = (entry: (typeof entries)[number]) => `needs ${entry.needs.length > 0 ? entry.needs.join(', ') : '—'}`;
  // Columns as wide as their widest cell, so titles line up whatever the capabilities listed.
  const width = {
    id: Math.max(...entries.map((e) => e.id.length)),
    concern: Math.max(...entries.map((e) => (e.concern ?? '').length)),
    needs: Math.max(...entries.map((e) => needsOf(e).length)),
  };
  let current: string | undefined;
  for (const entry of entries) {
    if (entry.tier !== current) {
      current = entry.tier;
      const count = entries.filter((e) => e.tier === current).length;
      out.write(`\n${current} — ${count} guarantee${count === 1 ? '' : 's'}\n`);
    }
    out.write(`  ${entry.id.padEnd(width.id)}  ${(entry.concern ?? '').padEnd(width.concern)}  ${needsOf(entry).padEnd(width.needs)}  ${entry.title}\n`);
  }
  return ExitCode.ok;
}
