import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { ConfigSchema, impliedTarget, TARGETS, type ConfigFor, type ConfigInput, type ConformanceConfig, type TargetKind } from './schema.ts';

/** Reads a YAML, JSON or TypeScript (`export default {...}`) config file as raw, unvalidated input. */
export async function readConfigFile(file: string): Promise<unknown> {
  const path = resolve(file);
  const kind = extname(path).toLowerCase();
  if (kind === '.ts' || kind === '.mts' || kind === '.js' || kind === '.mjs') {
    try {
      const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
      if (module.default === undefined) {
        throw new ConfigError(`Configuration file "${file}" has no default export; write \`export default { ... }\``);
      }
      return module.default;
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`Configuration file "${file}" failed to load: ${firstLine(error)}`, [], { cause: error });
    }
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `Configuration file "${file}" does not exist` : `Configuration file "${file}" cannot be read (${code})`,
      [], { cause: error });
  }
  try {
    return kind === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`Configuration file "${file}" failed to parse: ${firstLine(error)}`, [], { cause: error });
  }
}

/**
 * Validates raw config (file contents with command-line overrides already applied).
 * Every problem is named by its dotted path, e.g. `participants.payer.currency`.
 */
export function validateConfig(raw: unknown, origin = 'configuration'): ConformanceConfig {
  const result = ConfigSchema.safeParse(impliedTarget(raw ?? {}), { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue);
  throw new ConfigError(`Invalid ${origin}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems);
}

/** Validates raw config for one target (library use: an environment built directly), typed as that target's config. */
export function validateConfigFor<T extends TargetKind>(target: T, raw: Record<string, unknown> = {}, origin = 'configuration'): ConfigFor<T> {
  return validateConfig({ ...raw, target }, origin) as ConfigFor<T>;
}

export async function loadConfig(options: { file?: string; overrides?: ConfigInput }): Promise<ConformanceConfig> {
  const fromFile = options.file ? await readConfigFile(options.file) : {};
  // An empty file is a config that did not get written (a failed template step, /dev/null): defaults would test the embedded hub instead.
  if (fromFile === null || fromFile === undefined) {
    throw new ConfigError(`Configuration file "${options.file}" is empty; write the settings (or \`{}\` for every default), or leave out --config`);
  }
  if (typeof fromFile !== 'object' || Array.isArray(fromFile)) {
    throw new ConfigError(`Configuration file "${options.file}" must hold an object at its top level, not ${Array.isArray(fromFile) ? 'a list' : typeof fromFile}`);
  }
  const merged = deepMerge(fromFile as Record<string, unknown>, (options.overrides ?? {}) as Record<string, unknown>);
  return validateConfig(merged, options.file ? `configuration "${options.file}"` : 'configuration');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  switch (issue.code) {
    case 'invalid_union':
      // The config is one shape per target: an unknown target matches none of them.
      if ('discriminator' in issue && issue.discriminator === 'target') {
        return `${path}: ${quote((issue.input as Record<string, unknown> | undefined)?.target)} is not allowed; expected one of ${TARGETS.join(', ')}`;
      }
      return `${path}: ${issue.message}`;
    case 'invalid_value':
      return `${path}: ${quote(issue.input)} is not allowed; expected one of ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return `${path}: expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'custom':
      // Refinements say themselves what they may show of the value (URL fields show nothing of it).
      return `${path}: ${issue.message}`;
    default:
      return `${path}: ${issue.message}${issue.input !== undefined ? ` (got ${describeValue(issue.input)})` : ''}`;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${quote(value)}`;
}

/** A value as an error message shows it: quoted, and cut short — a pasted 5000-character value must not fill the terminal. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 60 ? text : `${text.slice(0, 50)}…" (${String(value).length} characters)`;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
