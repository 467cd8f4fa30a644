import { ConfigError, EnvironmentUnavailableError, UserError } from '../config/errors.ts';
import type { ConformanceConfig } from '../config/schema.ts';
import type { CallbackServer } from '../fspiop/callback-server.ts';
import { attachNotificationChannel, type NotificationChannel } from '../fspiop/notification-channel.ts';
import { PayerDfsp } from '../fspiop/payer-dfsp.ts';
import type { FspiopTransport } from '../fspiop/fspiop-transport.ts';
import type { FspiopSpecification } from '../fspiop/spec-validation.ts';
import { BuiltinLoadRunner } from './builtin/builtin-runner.ts';
import { specificationCheck } from './builtin/checked-transfer.ts';
import { K6Runner, k6Available, requireK6 } from './k6/k6-runner.ts';
import { K6OperatorRunner, type KubeConfig } from './k6-operator/k6-operator-runner.ts';
import type { CallbackRoute } from './k6-operator/test-run-manifests.ts';
import type { LoadRunner } from './load-runner.ts';

export type RunnerChoice = 'builtin' | 'k6' | 'k6-operator' | 'auto';

/** The runner a run will use, decided before anything starts: `--runner k6` without k6 fails fast. */
export interface RunnerPlan {
  kind: 'builtin' | 'k6' | 'k6-operator';
  /** One line the run prints: which runner, and why when `auto` chose. */
  note: string;
  /** Chosen by `auto`: a builtin runner serves as well when k6 cannot (credentials it cannot present). */
  auto?: boolean;
}

export async function planLoadRunner(choice: RunnerChoice): Promise<RunnerPlan> {
  if (choice === 'builtin') return { kind: 'builtin', note: 'load runner: builtin' };
  // k6 runs in the cluster's pods, not here: nothing to find on this machine.
  if (choice === 'k6-operator') return { kind: 'k6-operator', note: 'load runner: k6-operator (k6 in runner pods of a TestRun; docs/kubernetes.md)' };
  if (choice === 'k6') {
    try {
      return { kind: 'k6', note: `load runner: ${await requireK6()}` };
    } catch (error) {
      // A missing tool is the machine's, like a missing Docker engine: the target cannot be driven (exit 4).
      if (error instanceof UserError) throw new EnvironmentUnavailableError(error.message, [], { cause: error });
      throw error;
    }
  }
  const version = await k6Available();
  return version ? { kind: 'k6', note: `load runner: ${version} (auto: k6 is on PATH)`, auto: true } : { kind: 'builtin', note: 'load runner: builtin (auto: no k6 on PATH)', auto: true };
}

/** k6 cannot receive HTTP callbacks (on this machine or in a runner pod): its iterations wait on this channel of the payer's callback server. Attach before the server starts. */
export function prepareCallbacksFor(plan: RunnerPlan, callbacks: CallbackServer): NotificationChannel | undefined {
  return plan.kind === 'builtin' ? undefined : attachNotificationChannel(callbacks);
}

/** What a runner needs of the run: whom to call, and where its callbacks arrive. */
export interface RunnerDeps {
  config: ConformanceConfig;
  hubUrl: string;
  callbacks: CallbackServer;
  channel: NotificationChannel | undefined;
  /** The builtin runner holds every callback to it (k6 checks only the schema-level essentials in its script). */
  spec?: FspiopSpecification;
  /** The cluster the k6-operator runner runs in: the run's kubeconfig and context (`kubernetes`), as kubectl finds them. */
  kubeConfig?: () => { kc: KubeConfig };
  /** Lines a runner prints as it goes (the k6-operator runner: stages, runner pods, cleanup). */
  notice?: (line: string) => void;
  /** What the run's requests present (certificate, token, signature): the builtin runner's requests too; k6 cannot. */
  transport?: FspiopTransport | undefined;
}

/**
 * The one place a runner plan becomes a runner. Load works on every target: a runner drives the
 * hub through the run's own payer identity and callback server, whatever started the hub.
 */
export function createLoadRunner(plan: RunnerPlan, deps: RunnerDeps): LoadRunner {
  const { config, hubUrl, callbacks, channel, spec, transport } = deps;
  const presented = transport?.presented ?? [];
  if (plan.kind !== 'builtin' && presented.length > 0) {
    // Unauthenticated load against a secured hub would measure its refusals, not its capacity.
    if (plan.auto) {
      deps.notice?.(`load runner: builtin instead of k6 (auto): k6's scripts cannot present ${presented.join(', ')} yet (docs/security.md)`);
      return createLoadRunner({ kind: 'builtin', note: plan.note }, deps);
    }
    throw new ConfigError(`load.runner ${plan.kind}: the k6 scripts cannot present ${presented.join(', ')}, which this run's hub requires; use --runner builtin (what k6 would need: docs/security.md)`);
  }
  const { participants, timeouts, load } = config;
  const script = {
    hubUrl, payerFsp: participants.payer.fspId, payeeFsp: participants.payee.fspId, payer: participants.payer.party, payee: participants.payee.party,
    currency: participants.payer.currency, amount: load.amount, callbackTimeoutMs: timeouts.callbackMs, requestTimeoutMs: timeouts.requestMs,
    maxVUs: load.maxInFlight,
  };
  if (plan.kind === 'k6-operator') {
    if (!channel) throw new Error('the k6-operator runner needs the notification channel attached before the callback server started');
    if (!deps.kubeConfig) throw new Error('the k6-operator runner needs the run\'s kubeconfig');
    // Read now, before any scenario: no kubeconfig, or no cluster in it, stops the run in one line.
    const { kc } = deps.kubeConfig();
    const operator = config.k6Operator;
    return new K6OperatorRunner({
      ...script, hubUrl: podHubUrl(operator.hubUrl ?? hubUrl), callbackWsUrl: channel.urlFor(callbacks.url),
      kubeConfig: kc, namespace: operator.namespace ?? contextNamespace(kc) ?? 'default',
      parallelism: operator.parallelism, image: operator.runnerImage, separate: operator.separate,
      route: callbackRoute(operator.callbacks, callbacks.url),
      startTimeoutMs: operator.startTimeoutMs, finishGraceMs: operator.finishGraceMs, pollMs: operator.pollMs,
      apiTimeoutMs: Math.min(timeouts.requestMs, 10_000), notice: deps.notice,
    });
  }
  if (plan.kind === 'k6') {
    if (!channel) throw new Error('the k6 runner needs the notification channel attached before the callback server started');
    return new K6Runner({ ...script, callbackWsUrl: channel.urlFor(callbacks.url), reports: (listener) => channel.onReport(listener) });
  }
  // A driver of its own: load exchanges must not flow into the functional exchange log.
  const driver = PayerDfsp.configured(config, { hubUrl, fspId: participants.payer.fspId, callbacks, transport });
  return new BuiltinLoadRunner({
    driver,
    parties: { payer: participants.payer.party, payee: participants.payee.party, payeeFsp: participants.payee.fspId, amount: { amount: load.amount, currency: participants.payer.currency } },
    ...(load.maxInFlight ? { maxInFlight: load.maxInFlight } : {}),
    phaseTimeoutMs: timeouts.callbackMs,
    ...(spec ? { check: specificationCheck(spec) } : {}),
  });
}

function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\]|0\.0\.0\.0)$/;

/** The hub as the runner pods call it: a loopback address (an embedded hub, a port-forward) is this machine's, not theirs. */
function podHubUrl(url: string): string {
  const host = new URL(url).hostname;
  if (LOOPBACK.test(host)) {
    throw new ConfigError(`k6Operator.hubUrl: the k6-operator runner pods cannot reach the hub at ${host} (a loopback address of this machine); set k6Operator.hubUrl to the hub's FSPIOP URL as the cluster's pods reach it, e.g. http://ml-api-adapter.mojaloop.svc:3000`);
  }
  return url;
}

/**
 * How the runner pods reach our callback server: the Service selects this tool's pod, or routes
 * to an address of this machine — by default where the hub is told to call us back (the callback
 * server's public URL), which a hub in the same cluster must reach too. A loopback address cannot
 * be reached from a pod: refused here, naming the setting.
 */
export function callbackRoute(settings: ConformanceConfig['k6Operator']['callbacks'], callbackUrl: string): CallbackRoute {
  const url = new URL(callbackUrl);
  const port = settings.port ?? Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (settings.selector) return { kind: 'selector', selector: settings.selector, port };
  const address = settings.address ?? url.hostname;
  if (LOOPBACK.test(address)) {
    throw new ConfigError(`k6Operator.callbacks.address: the k6-operator runner pods cannot reach our callback server at ${address} (a loopback address); set k6Operator.callbacks.address to an address of this machine the cluster's pods reach (or --callback-public-url), or k6Operator.callbacks.selector when this tool runs in the cluster`);
  }
  return { kind: 'address', address, port };
}
