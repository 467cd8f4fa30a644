import { CAPABILITIES, isCapability, type Capability } from '../environment/environment.ts';
import type { StartedEnvironment } from '../environment/environment.ts';

/** The first capability a scenario needs (`@needs:<capability>` tags) that the target lacks, with the reason. */
export function missingCapability(tags: readonly string[], environment: Pick<StartedEnvironment, 'capabilities' | 'whyMissing'>):
  { capability: Capability; reason: string } | undefined {
  for (const tag of tags) {
    if (!tag.startsWith('@needs:')) continue;
    const name = tag.slice('@needs:'.length);
    if (!isCapability(name)) {
      throw new Error(`feature tag ${tag} names no capability; known: ${Object.keys(CAPABILITIES).join(', ')}`);
    }
    if (!environment.capabilities.has(name)) {
      return { capability: name, reason: `needs ${CAPABILITIES[name]}; ${environment.whyMissing(name)}` };
    }
  }
  return undefined;
}

export function neededCapabilities(tags: readonly string[]): Capability[] {
  return tags.filter((tag) => tag.startsWith('@needs:')).map((tag) => tag.slice('@needs:'.length)).filter(isCapability);
}
