import { parseArgs } from 'node:util';
import parseTagExpression from '@cucumber/tag-expressions';
import { UsageError } from '../config/errors.ts';
import { parseFaultOptions } from '../config/fault-options.ts';
import { HUB_SECURITY_LEVELS, KUBERNETES_NAME, PROFILES, RUNNERS, TARGETS, TIERS, type ConfigInput } from '../config/schema.ts';

export interface CliOptions {
  help: boolean;
  list: boolean;
  configFile?: string;
  overrides: ConfigInput;
  requireCertificate: boolean;
  tags?: string;
  /** Tag expression: exit 3 when a guarantee it matches is NOT EVALUATED. */
  requireEvaluated?: string;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  list: { type: 'boolean' },
  tier: { type: 'string' },
  target: { type: 'string' },
  profile: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'hub-url': { type: 'string' },
  'hub-admin-url': { type: 'string' },
  'hub-security': { type: 'string' },
  'provision-dry-run': { type: 'boolean' },
  'callback-host': { type: 'string' },
  'callback-port': { type: 'string' },
  'callback-public-url': { type: 'string' },
  'reports-dir': { type: 'string' },
  tags: { type: 'string' },
  'require-certificate': { type: 'boolean' },
  'require-evaluated': { type: 'string' },
  runner: { type: 'string' },
  fault: { type: 'string', multiple: true },
  harness: { type: 'string' },
  'compose-profile': { type: 'string', multiple: true },
  'compose-file': { type: 'string', multiple: true },
  'compose-env-file': { type: 'string' },
  attach: { type: 'string' },
  keep: { type: 'boolean' },
  'definition-only': { type: 'boolean' },
  'minimal-core': { type: 'boolean' },
  image: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', multiple: true },
  k3s: { type: 'boolean' },
  'port-forward': { type: 'string', multiple: true },
  'k3s-image': { type: 'string' },
} as const;

/** Parses `npm run conformance -- …`. Flag values with a fixed set of choices are checked here, so the error names the flag. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  requireValues(argv);
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; see --help`);
  }
  const str = (name: string) => values[name] as string | undefined;
  const choice = <T extends string>(flag: string, allowed: readonly T[]): T | undefined => {
    const value = str(flag);
    if (value !== undefined && !allowed.includes(value as T)) {
      throw new UsageError(`--${flag} ${shown(value)} is not one of: ${allowed.join(', ')}`);
    }
    return value as T | undefined;
  };
  const port = str('callback-port');
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) throw new UsageError(`--callback-port ${shown(port)} is not a port number (0-65535)`);

  const overrides: ConfigInput = {
    tier: choice('tier', TIERS),
    target: choice('target', TARGETS),
    profile: choice('profile', PROFILES),
    reportsDir: str('reports-dir'),
  };
  const runner = choice('runner', RUNNERS);
  if (runner) overrides.load = { runner };
  const faults = values.fault as string[] | undefined;
  if (faults) overrides.embedded = { faults: parseFaultOptions(faults) };
  const hubSecurity = choice('hub-security', HUB_SECURITY_LEVELS);
  if (str('hub-url') || str('hub-admin-url') || hubSecurity) {
    overrides.hub = { ...(str('hub-url') ? { url: str('hub-url') } : {}), ...(str('hub-admin-url') ? { adminUrl: str('hub-admin-url') } : {}), ...(hubSecurity ? { security: hubSecurity } : {}) };
  }
  if (values['provision-dry-run'] === true) overrides.provision = { dryRun: true };
  const compose = composeOverrides(values);
  if (compose) overrides.compose = compose;
  const namespaces = ((values.namespace as string[] | undefined) ?? []).flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean);
  for (const name of namespaces) {
    if (!KUBERNETES_NAME.test(name)) throw new UsageError(`--namespace ${shown(name)} is not a namespace name (lower-case letters, digits and "-", at most 63); e.g. --namespace mojaloop`);
  }
  const portForward = portForwardOverrides(values['port-forward'] as string[] | undefined);
  const k3s = values.k3s === true || str('k3s-image') !== undefined
    ? { enabled: true, ...(str('k3s-image') ? { image: str('k3s-image') } : {}) } : undefined;
  if (str('kubeconfig') || str('context') || namespaces.length > 0 || k3s || portForward) {
    overrides.kubernetes = {
      ...(str('kubeconfig') ? { kubeconfig: str('kubeconfig') } : {}), ...(str('context') ? { context: str('context') } : {}),
      ...(namespaces.length > 0 ? { namespaces } : {}), ...(k3s ? { k3s } : {}), ...(portForward ? { portForward } : {}),
    };
  }
  if (str('callback-host') || port !== undefined || str('callback-public-url')) {
    overrides.callback = {
      host: str('callback-host'),
      port: port === undefined ? undefined : Number(port),
      publicUrl: str('callback-public-url'),
    };
  }
  for (const flag of ['tags', 'require-evaluated']) {
    const expression = str(flag);
    if (expression === undefined) continue;
    try {
      parseTagExpression(expression);
    } catch (error) {
      throw new UsageError(`--${flag} ${shown(expression)} is not a tag expression (${(error as Error).message.split('\n')[0]}); e.g. "@concern:functional and not @needs:load"`);
    }
  }
  // No target is implied here: `--hub-url`, `--harness` or `--minimal-core` alone choose theirs where the
  // config file and these flags are merged (`impliedTarget`), so a file's target is never overridden by a flag that did not name one.
  return {
    help: values.help === true,
    list: values.list === true,
    ...(str('config') ? { configFile: str('config') } : {}),
    overrides,
    requireCertificate: values['require-certificate'] === true,
    ...(str('tags') ? { tags: str('tags') } : {}),
    ...(str('require-evaluated') ? { requireEvaluated: str('require-evaluated') } : {}),
  };
}

/** `--port-forward fspiop=[NS/]SERVICE:PORT` and `admin=…`: the hub's APIs through port-forwards to their Services. */
function portForwardOverrides(given: string[] | undefined): NonNullable<ConfigInput['kubernetes']>['portForward'] | undefined {
  if (!given) return undefined;
  const forwards: Record<string, { service: string; port: number; namespace?: string }> = {};
  for (const text of given) {
    const match = /^(fspiop|admin)=(?:([a-z0-9-]+)\/)?([a-z0-9-]+):(\d{1,5})$/.exec(text);
    if (!match || Number(match[4]) < 1 || Number(match[4]) > 65535) {
      throw new UsageError(`--port-forward ${shown(text)} is not fspiop=[NAMESPACE/]SERVICE:PORT or admin=…; e.g. --port-forward fspiop=mojaloop/ml-api-adapter:3000 --port-forward admin=mojaloop/centralledger:3001`);
    }
    forwards[match[1]!] = { service: match[3]!, port: Number(match[4]), ...(match[2] ? { namespace: match[2] } : {}) };
  }
  return forwards;
}

/** The compose target's flags; `--image SERVICE=REPO:TAG` is checked here so the error names the flag. */
function composeOverrides(values: Record<string, string | boolean | string[] | undefined>): ConfigInput['compose'] | undefined {
  const compose: NonNullable<ConfigInput['compose']> = {};
  if (typeof values.harness === 'string') compose.harness = values.harness;
  if (Array.isArray(values['compose-profile'])) compose.profiles = values['compose-profile'].flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
  if (Array.isArray(values['compose-file'])) compose.extraFiles = values['compose-file'];
  if (typeof values['compose-env-file'] === 'string') compose.envFile = values['compose-env-file'];
  if (typeof values.attach === 'string') compose.attach = values.attach;
  if (values.keep === true) compose.keep = true;
  if (values['definition-only'] === true) compose.definitionOnly = true;
  if (values['minimal-core'] === true) compose.minimalCore = { enabled: true };
  if (Array.isArray(values.image)) {
    compose.images = Object.fromEntries(values.image.map((text) => {
      const match = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)=(\S+)$/.exec(text);
      if (!match) throw new UsageError(`--image ${shown(text)} is not SERVICE=REPO:TAG; e.g. --image central-ledger=mojaloop/central-ledger:v19.5.0`);
      return [match[1]!, match[2]!];
    }));
  }
  return Object.keys(compose).length > 0 ? compose : undefined;
}

/**
 * An option that takes a value followed by another option (`--tier --reports-dir x`) is a value
 * forgotten, not an ambiguity to puzzle over: say which option lacks its value.
 */
function requireValues(argv: readonly string[]): void {
  argv.forEach((arg, index) => {
    const [flag, inline] = arg.startsWith('--') ? [arg.split('=', 1)[0]!, arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg, undefined];
    const option = (OPTIONS as Record<string, { type: string }>)[flag.slice(2)];
    if (!arg.startsWith('--') || option?.type !== 'string') return;
    const value = inline ?? argv[index + 1];
    if (value === undefined) throw new UsageError(`${flag} needs a value; see --help`);
    // An empty value is an unset variable (`--hub-url "$HUB_URL"`): running on defaults would test something else.
    if (value.trim() === '') throw new UsageError(`${flag} was given an empty value (an unset variable?); give it a value or leave the option out`);
    if (inline === undefined && value.startsWith('-')) {
      throw new UsageError(`${flag} needs a value, but is followed by ${shown(value)}, which reads as an option; write ${flag}=${value} if that is the value`);
    }
  });
}

/** A value the user typed, quoted and cut short for an error message. */
export function shown(value: string): string {
  return value.length <= 60 ? `"${value}"` : `"${value.slice(0, 50)}…" (${value.length} characters)`;
}
