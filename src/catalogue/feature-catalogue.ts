import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { ConfigError } from '../config/errors.ts';
import type { Attestation, Tier } from '../config/schema.ts';
import { neededCapabilities, type Capability } from './capabilities.ts';
import { guaranteeIdOf, tagValue } from './tags.ts';

export interface CatalogueEntry {
  tier: string;
  id: string;
  title: string;
  concern: string | null;
  needs: Capability[];
  sla: boolean;
  tags: string[];
  location: string;
}

/**
 * The guarantees of a tier as the feature files state them — the same source the run executes,
 * so the catalogue and the run can never disagree on what a tier promises.
 */
export async function readCatalogue(featuresRoot: string, tier?: Tier): Promise<CatalogueEntry[]> {
  // The feature files do not change while a process runs: the CLI's check and the run read them once.
  let everyTier = catalogues.get(featuresRoot);
  if (!everyTier) {
    everyTier = parseEveryTier(featuresRoot);
    catalogues.set(featuresRoot, everyTier);
    everyTier.catch(() => catalogues.delete(featuresRoot));
  }
  const entries = await everyTier;
  return tier ? entries.filter((entry) => entry.tier === tier) : [...entries];
}

const catalogues = new Map<string, Promise<CatalogueEntry[]>>();

async function parseEveryTier(featuresRoot: string): Promise<CatalogueEntry[]> {
  const tiers = (await readdir(featuresRoot, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const entries: CatalogueEntry[] = [];
  for (const name of tiers) {
    const dir = join(featuresRoot, name);
    const files = (await readdir(dir)).filter((file) => file.endsWith('.feature')).sort();
    for (const file of files) {
      const path = join(dir, file);
      entries.push(...parseFeature(await readFile(path, 'utf8'), relative(join(featuresRoot, '..'), path), name));
    }
  }
  return entries;
}

export function parseFeature(source: string, uri: string, tier: string): CatalogueEntry[] {
  const newId = IdGenerator.uuid();
  const document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(source);
  const lines = new Map<string, number>();
  for (const child of document.feature?.children ?? []) {
    if (child.scenario) lines.set(child.scenario.id, child.scenario.location.line);
  }
  return compile(document, uri, newId).map((pickle) => {
    const tags = pickle.tags.map((tag) => tag.name);
    const line = pickle.astNodeIds.map((id) => lines.get(id)).find((l) => l !== undefined);
    return {
      tier,
      id: guaranteeIdOf(tags, pickle.name),
      title: pickle.name,
      concern: tagValue(tags, 'concern') ?? null,
      needs: neededCapabilities(tags),
      sla: tags.includes('@sla'),
      tags,
      location: `${uri}:${line ?? 0}`,
    };
  });
}

/**
 * Reviewer attestations must name a guarantee that exists: one naming no guarantee of any tier is
 * a typo and refused; one for another tier's guarantee (a config shared across tiers) does not
 * apply to this run, and the run says so.
 */
export function checkAttestations(tier: Tier, attestations: readonly Attestation[], everyTier: readonly CatalogueEntry[]): { ignored: string[] } {
  const ignored: string[] = [];
  attestations.forEach((attestation, index) => {
    const entry = everyTier.find((e) => e.id === attestation.guarantee);
    if (!entry) {
      const reviewable = everyTier.filter((e) => e.tier === tier && e.needs.includes('human-review')).map((e) => e.id);
      throw new ConfigError(`attestations.${index}.guarantee: "${attestation.guarantee}" names no guarantee of any tier; `
        + `the guarantees of ${tier} a reviewer attests are ${reviewable.join(', ') || 'none'}`);
    }
    if (entry.tier !== tier) ignored.push(`attestation for ${attestation.guarantee} applies to tier ${entry.tier}, not ${tier}: ignored`);
  });
  return { ignored };
}
