import { UsageError } from './errors.ts';
import { z } from 'zod';
import { HUB_FAULTS, HubFaultsSchema, type HubFaultsConfig } from './schema.ts';

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
    if (value === undefined && !SWITCHES.has(name)) throw new UsageError(`--fault ${name} needs a value: --fault ${name}=${EXAMPLES[name] ?? 'VALUE'}`);
    faults[name] = value === undefined ? true : parseFaultValue(value);
  }
  return faults as HubFaultsConfig;
}

/** Faults a name alone switches on; the others need a value. */
const SWITCHES = new Set(Object.entries(HubFaultsSchema.shape).filter(([, type]) => type.unwrap() instanceof z.ZodBoolean).map(([name]) => name));
const EXAMPLES: Record<string, string> = {
  callbackDelayMs: '1200', dropCallbacks: '0.2', serverErrors: '0.1', callbackSource: 'rogue', staleCallbackDateMs: '600000',
  omitCallbackField: 'transferState', crashAfterTransfers: '100', resendCallbacksAfterMs: '2000', seed: '7',
};

function parseFaultValue(value: string): unknown {
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value);
  const range = /^(\d+)-(\d+)$/.exec(value);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
