import { UsageError } from './errors.ts';
import { HUB_FAULTS, type HubFaultsConfig } from './schema.ts';

/**
 * `--fault <name>[=<value>]`, repeatable, as config `embedded.faults`: a name alone switches a
 * fault on, `=0.2` is a number, `=100-900` a range (min-max), anything else text. The values are
 * validated with the rest of the config, so a bad one is named by its path (embedded.faults.…).
 */
export function parseFaultOptions(options: readonly string[]): HubFaultsConfig {
  const faults: Record<string, unknown> = {};
  for (const option of options) {
    const [name = '', value] = option.includes('=') ? [option.slice(0, option.indexOf('=')), option.slice(option.indexOf('=') + 1)] : [option, undefined];
    if (!(HUB_FAULTS as string[]).includes(name) && name !== 'seed') {
      throw new UsageError(`--fault "${name.slice(0, 40)}" is no fault; known: ${HUB_FAULTS.join(', ')}`);
    }
    faults[name] = value === undefined ? true : parseFaultValue(value);
  }
  return faults as HubFaultsConfig;
}

function parseFaultValue(value: string): unknown {
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value);
  const range = /^(\d+)-(\d+)$/.exec(value);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
