import parseTagExpression from '@cucumber/tag-expressions';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { checkAttestations, readCatalogue, type CatalogueEntry } from '../catalogue/feature-catalogue.ts';
import { EnvironmentUnavailableError, UserError } from '../config/errors.ts';
import { PROJECT_ROOT, TOOL } from '../config/project.ts';
import type { ConformanceConfig } from '../config/schema.ts';
import { serves } from '../environment/capability-providers.ts';
import { createEnvironment } from '../environment/create-environment.ts';
import type { ConformanceEnvironment, EnvironmentDescription, StartedEnvironment } from '../environment/environment.ts';
import { loadRunKubeConfig } from '../environment/kubernetes/kubernetes-environment.ts';
import { CallbackServer } from '../fspiop/callback-server.ts';
import { ExchangeLog } from '../fspiop/exchange-log.ts';
import type { NotificationChannel } from '../fspiop/notification-channel.ts';
import { createLoadRunner, planLoadRunner, prepareCallbacksFor } from '../load/create-load-runner.ts';
import { loadProfile, type LoadProfile } from '../load/load-profiles.ts';
import type { LoadRunner } from '../load/load-runner.ts';
import { PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { FspiopTransport } from '../fspiop/fspiop-transport.ts';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import { resolveSecurity } from '../config/security-credentials.ts';
import { loadFspiopSpecification, preloadFspiopSpecification } from '../fspiop/spec-validation.ts';
import { diagnose, diagnoseLoads } from '../reports/diagnosis.ts';
import { fingerprintOf } from '../reports/fingerprint.ts';
import { loadEvidenceOf } from '../reports/load-evidence.ts';
import type { Reporter, ReportPaths, WrittenFile } from '../reports/reporter.ts';
import { runReporters } from '../reports/reporters.ts';
import { ReportsLock } from '../reports/reports-lock.ts';
import { summarise, type ResultDocument } from '../reports/result-document.ts';
import { RESULT_SCHEMA_VERSION } from '../reports/result-schema.ts';
import { TerminalReporter } from '../reports/terminal-reporter.ts';
import { gitCommit } from '../support/git-commit.ts';
import { HeldResources, secondInterruptHint } from '../support/held-resources.ts';
import { newRunId } from '../support/run-id.ts';
import { allocateRunDirectory } from '../reports/runs/run-directory.ts';
import { redactUrl } from '../support/url.ts';
import { issueCertificate } from '../verdict/certificate.ts';
import { judge, type GuaranteeVerdict, type ScenarioOutcome } from '../verdict/guarantee-verdict.ts';
import { runFeatures } from './cucumber-runner.ts';
import { proveCallbackRoute } from './callback-round-trip.ts';
import { planProvisioning, ProvisioningPlanned } from './provisioning-plan.ts';
import { ExitCode } from './exit-codes.ts';
import { ScenarioCollector } from './scenario-collector.ts';
import { registerSession, RunSession } from './session.ts';

export interface RunOptions {
  out: Writable;
  colour?: boolean;
  /** Exit 3 unless the tier is CERTIFIED (release gating). */
  requireCertificate?: boolean;
  /** Tag expression: exit 3 when a guarantee it matches is NOT EVALUATED (CI gating that must not pass on skipped checks). */
  requireEvaluated?: string;
  /** What our DFSPs present to the hub, resolved from the config's `security` (the CLI resolves it before anything starts); a target that secures its own hub issues its own instead. */
  credentials?: DfspCredentials | undefined;
  /** Cucumber tag expression narrowing the scenarios. */
  tags?: string;
  /** The output is a terminal: show which guarantee is running. */
  live?: boolean;
  /** Run against this environment instead of the one the config's target names (library use, tests). */
  environment?: ConformanceEnvironment;
  /** Drive load with this runner instead of the one the config chooses (library use, tests). */
  loadRunner?: LoadRunner;
  /** Shape load with this profile instead of scenarios/<profile>.yaml (library use, tests). */
  loadProfile?: LoadProfile;
}

export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/**
 * One conformance run: config → environment → probes (Cucumber scenarios) → evidence → verdicts →
 * certificate → reports. It owns every resource it starts and tears all of them down on success,
 * failure and interruption; an interrupted run still reports what it measured.
 */
export class ConformanceRun {
  readonly #config: ConformanceConfig;
  readonly #options: RunOptions;
  readonly #reporter: TerminalReporter;
  readonly #collector = new ScenarioCollector();
  readonly #exchanges = new ExchangeLog();
  #interrupt!: (error: InterruptedError) => void;
  readonly #interrupted = new Promise<never>((_, reject) => {
    this.#interrupt = reject;
  });
  #interruptedAt: ScenarioOutcome[] | undefined;
  /** Aborted when the run ends, however it ends: a load still running stops starting iterations. */
  readonly #stopLoad = new AbortController();
  /** Aborted on interrupt: an environment still starting gives up and tears down. */
  readonly #stopStart = new AbortController();
  #wasInterrupted = false;
  /** Built from the config's credentials before the environment: a target reaching a hub it does not own reaches it with them. */
  #configuredTransport: FspiopTransport | undefined;
  /** The same credentials, for the security probe (which leaves one out at a time). A secret: never reported. */
  #configuredCredentials: DfspCredentials | undefined;
  /** What the environment holds outside this process while it holds it: what a second Ctrl-C would leave running. */
  readonly held = new HeldResources();

  constructor(config: ConformanceConfig, options: RunOptions) {
    this.#config = config;
    this.#options = options;
    this.#reporter = new TerminalReporter(options.out, options.colour ?? false, options.live ?? false);
    this.#interrupted.catch(() => undefined);
  }

  get #profile(): LoadProfile {
    return this.#options.loadProfile ?? loadProfile(this.#config.profile);
  }

  /** Stops the run where it is: what finished keeps its verdict, the rest is NOT EVALUATED. */
  interrupt(signal: string): void {
    if (this.#wasInterrupted) return;
    this.#wasInterrupted = true;
    // Freeze outcomes now: steps failing because we tear down under them are not the hub's fault.
    this.#interruptedAt = this.#collector.outcomes();
    this.#reporter.notice(`\n${signal} received — stopping, tearing down and writing what was measured so far…${secondInterruptHint(this.held)}`);
    // An environment still coming up (a compose harness: minutes) stops coming up and tears down what it started.
    this.#stopStart.abort();
    this.#interrupt(new InterruptedError(signal));
  }

  async execute(): Promise<{ result: ResultDocument; exitCode: number; files: string[] }> {
    const reportsDir = resolve(this.#config.reportsDir);
    // Configured, not started: the environment says what is tested before anything runs.
    // What our DFSPs present, from the config (the CLI resolved it before anything started): the target reaches its hub with it too.
    const credentials = this.#options.credentials ?? ('security' in this.#config ? await resolveSecurity(this.#config.security, { cwd: process.cwd(), env: process.env }) : undefined);
    this.#configuredTransport = FspiopTransport.from(credentials);
    this.#configuredCredentials = credentials;
    const configured = this.#options.environment ?? createEnvironment(this.#config, {
      progress: (line) => this.#reporter.notice(line), signal: this.#stopStart.signal, held: this.held, transport: this.#configuredTransport,
    });
    const targetDescription = configured.describeTarget();
    this.#reporter.header(this.#config, targetDescription);
    // Before anything is written: another run's result and Allure files are not ours to replace.
    const lock = await claim(reportsDir);
    try {
      const startedAt = new Date();
      const { runId, dir: runDir } = await allocateRunDirectory(reportsDir, newRunId(startedAt)).catch((error: unknown) => { throw unwritable(reportsDir, error); });
      return await this.#execute({ reportsDir, runDir, allureDir: join(reportsDir, 'allure-results') }, { runId, startedAt }, configured, targetDescription);
    } finally {
      await lock.release();
    }
  }

  async #execute(paths: ReportPaths, { runId, startedAt }: { runId: string; startedAt: Date }, configured: ConformanceEnvironment, targetDescription: string): Promise<{ result: ResultDocument; exitCode: number; files: string[] }> {
    const config = this.#config;
    const { allureDir } = paths;
    // Read while the run runs: it never fails the run (null outside a checkout).
    const commit = gitCommit(PROJECT_ROOT);
    const everyTier = await readCatalogue(join(PROJECT_ROOT, 'features'));
    const catalogue = everyTier.filter((entry) => entry.tier === config.tier);
    this.#reporter.catalogue(config.tier, catalogue);
    const reporters: Reporter[] = runReporters(this.#reporter);
    // The run's folder says "not finished" until the end and `latest` points at it at once, so a killed run never leaves an older verdict in view.
    for (const reporter of reporters) await reporter.onRunStarted?.({ ...paths, runId, startedAt, tool: TOOL });

    let environment: StartedEnvironment | undefined;
    let starting: Promise<StartedEnvironment> | undefined;
    let callbacks: CallbackServer | undefined;
    let transport: FspiopTransport | undefined;
    let callbackUrl: string | undefined;
    let channel: NotificationChannel | undefined;
    let session: ReturnType<typeof registerSession> | undefined;
    let error: unknown;
    let planned: ProvisioningPlanned | undefined;
    try {
      const attestations = checkAttestations(config.tier, config.attestations, everyTier);
      for (const line of attestations.ignored) this.#reporter.notice(`  note: ${line}`);
      // Before anything starts: a runner that cannot run (k6 asked for, not installed) stops the run here —
      // but only a run that will start a load needs one, so `--runner k6` never refuses a functional run.
      const plan = this.#options.loadRunner || !this.#startsLoad(catalogue) ? undefined : await planLoadRunner(config.load.runner);
      starting = configured.start();
      // Compiling the FSPIOP definition takes most of a second: it overlaps the environment's start (begun first, so a target's first request is on its way).
      preloadFspiopSpecification();
      environment = await this.#unlessInterrupted(starting);
      // One transport for every sender of the run: what a target securing its own hub issued us, else what the config names.
      transport = environment.issuedCredentials ? FspiopTransport.from(environment.issuedCredentials) : this.#configuredTransport ?? FspiopTransport.plain();
      if (transport.secured) for (const line of transport.posture) this.#reporter.notice(`  security: ${line}`);
      await this.#unlessInterrupted(transport.prepare());
      // The target decides where the hub can reach us (a fixed port where the user must tell the hub, a container network's gateway…).
      const listen = environment.callbackExposure;
      callbacks = new CallbackServer({
        host: listen.host,
        port: listen.port,
        maxBodyBytes: config.callback.maxBodyBytes,
        publicUrl: listen.publicUrl,
        addressing: { dfsps: ourDfsps(config, environment), senders: [...config.hub.sourceIds, config.participants.payee.fspId] },
        security: transport.callbackSecurity,
      });
      channel = plan && prepareCallbacksFor(plan, callbacks);
      await this.#unlessInterrupted(callbacks.start());
      callbackUrl = callbacks.url;
      const connection = { fspId: config.participants.payer.fspId, callbackUrl, correlator: callbacks.correlator };
      if (config.provision?.dryRun) throw new ProvisioningPlanned(await this.#unlessInterrupted(planProvisioning(environment, connection)));
      await this.#unlessInterrupted(environment.connectPayer(connection));
      this.#reporter.environment(environment.describe(), callbackUrl);

      // Our DFSPs share one callback server; the bystander exists only where the hub knows it.
      const dfsp = (fspId: string, hubUrl: string, shared: CallbackServer) => {
        const driver = PayerDfsp.configured(config, { hubUrl, fspId, callbacks: shared, transport });
        driver.onExchange((exchange) => this.#exchanges.add(exchange));
        return driver;
      };
      const payer = dfsp(config.participants.payer.fspId, environment.hubUrl, callbacks);
      const bystander = serves(environment, 'bystander-dfsp') ? dfsp(config.participants.bystander.fspId, environment.hubUrl, callbacks) : undefined;
      if (environment.callbackRouteUnproven) {
        await this.#unlessInterrupted(proveCallbackRoute(payer, config.parties.unknown, callbacks.stats, callbackUrl));
      }
      if (plan) this.#reporter.notice(`  ${plan.note}`);
      const spec = await this.#unlessInterrupted(loadFspiopSpecification());
      const runner = this.#options.loadRunner ?? (plan && createLoadRunner(plan, {
        config, hubUrl: environment.hubUrl, callbacks, channel, spec, transport,
        kubeConfig: () => loadRunKubeConfig(config, process.env), notice: (line) => this.#reporter.notice(`  ${line}`),
      }));
      // A runner that cannot run (no k6-operator in the cluster, a role that may not create its objects) stops the run here, exit 4.
      if (runner?.prepare) await this.#unlessInterrupted(runner.prepare());
      session = registerSession(new RunSession(config, environment, { payer, bystander, transport, credentials: environment.issuedCredentials ?? this.#configuredCredentials }, spec, {
        runner, profile: this.#profile, onProgress: (progress) => this.#reporter.loadProgress(progress), signal: this.#stopLoad.signal,
      }));
      this.#collector.onStart(({ id, title }) => {
        if (!this.#wasInterrupted) this.#reporter.running(id, title, Date.now() - startedAt.getTime());
      });
      this.#collector.onOutcome((outcome) => {
        if (!this.#wasInterrupted) this.#reporter.verdict(judge(outcome, { profile: this.#profile.name, profileCertifies: this.#profile.certifies }));
      });
      await this.#unlessInterrupted(runFeatures({
        cwd: PROJECT_ROOT,
        paths: [join('features', config.tier)],
        imports: ['steps/**/*.ts'],
        ...(this.#options.tags ? { tags: this.#options.tags } : {}),
        allureResultsDir: allureDir,
        collector: this.#collector,
        worldParameters: session.parameters,
      }));
    } catch (caught) {
      if (caught instanceof ProvisioningPlanned) {
        planned = caught;
        this.#reporter.notice(caught.describe());
      } else if (!(caught instanceof InterruptedError)) error = caught;
      environment ??= await starting?.catch(() => undefined);
    } finally {
      this.#stopLoad.abort();
      session?.close();
      // Its WebSocket clients (k6) hold connections the callback server would otherwise wait for.
      await channel?.close().catch(() => undefined);
      await Promise.allSettled([callbacks?.stop(), environment?.stop()]);
      transport?.close();
      this.#configuredTransport?.close();
    }

    const interrupted = this.#wasInterrupted;
    const verdicts = this.#verdicts(catalogue, interrupted, error ?? planned);
    const certificate = issueCertificate(config.tier, config.profile, verdicts, { profileCertifies: this.#profile.certifies });
    const summary = summarise(verdicts);
    const unevaluated = this.#requiredButNotEvaluated(catalogue, verdicts);
    const exitCode = interrupted ? ExitCode.interrupted
      : error ? exitCodeOf(error)
        : planned ? ExitCode.ok
        : summary.failed > 0 ? ExitCode.failed
          // A run that proved nothing must not turn a CI gate green.
          : summary.passed === 0 ? ExitCode.incomplete
            : this.#options.requireCertificate && certificate.status !== 'CERTIFIED' ? ExitCode.incomplete
              : unevaluated.length > 0 ? ExitCode.incomplete
                : ExitCode.ok;
    const finishedAt = new Date();
    const measuredLoads = session?.session.loads ?? [];
    const loads = measuredLoads.map(loadEvidenceOf);
    const description = environment?.describe() ?? null;
    const result: ResultDocument = {
      schemaVersion: RESULT_SCHEMA_VERSION,
      runId,
      tool: TOOL,
      tier: config.tier,
      target: config.target,
      hubUrl: environment ? redactUrl(environment.hubUrl) : config.hub.url ? redactUrl(config.hub.url) : null,
      profile: config.profile,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      interrupted,
      error: error ? (error as Error).message : null,
      fingerprint: fingerprintOf({
        tool: TOOL, gitCommit: await commit, config, targetDescription, environment: description, startedAt, finishedAt, profile: this.#profile.name,
        runner: loads.length > 0 ? [...new Set(loads.map((load) => load.runner))].join(', ') : config.load.runner,
      }),
      // What was tested is the fingerprint's: said once.
      environment: description && withoutTested(description),
      certificate,
      summary,
      guarantees: verdicts,
      loads,
      callbacks: callbacks ? structuredClone(callbacks.stats) : null,
      operations: this.#exchanges.summary(),
      // Exchanges cut short by an interruption say nothing about the hub.
      diagnosis: interrupted ? [] : diagnose({
        trouble: this.#exchanges.trouble(), callbacks: callbacks?.stats ?? null, callbackUrl,
        hubUrl: environment?.hubUrl, payerFspId: config.participants.payer.fspId,
      }).concat(diagnoseLoads(measuredLoads.map((load) => load.summary))),
      exitCode,
    };
    if (error) {
      // A user's mistake gets one line; a defect of the tool keeps its stack for the bug report.
      this.#reporter.notice(error instanceof UserError ? `error: ${error.message}` : `internal error: ${(error as Error).stack ?? String(error)}`);
    }
    // In the order of the list: each sees what those before it wrote; the terminal, last, names them all.
    const written: WrittenFile[] = [];
    for (const reporter of reporters) {
      written.push(...await reporter.onRunFinished({ ...paths, document: result, catalogue, written: [...written] }));
    }
    const files = written.map((file) => (file.note ? `${file.path} (${file.note})` : file.path));
    if (planned) this.#reporter.notice(`Exit 0: dry run — ${planned.calls.length === 0 ? 'the hub is provisioned already, nothing would be changed' : `${planned.calls.length} call${planned.calls.length > 1 ? 's' : ''} would be made, none was`}; nothing was evaluated.`);
    if (exitCode === ExitCode.incomplete) {
      this.#reporter.notice(summary.passed === 0
        ? 'Exit 3: no guarantee was evaluated and passed, so this run proves nothing (a gate must not pass on nothing).'
        : this.#options.requireCertificate && certificate.status !== 'CERTIFIED'
          ? `Exit 3: --require-certificate demands a CERTIFIED tier; this one is ${certificate.status.replace('_', ' ')}.`
          : `Exit 3: --require-evaluated "${this.#options.requireEvaluated}" matches ${unevaluated.length} guarantee${unevaluated.length > 1 ? 's' : ''} not evaluated `
            + `(${unevaluated.map((verdict) => verdict.id).join(', ')}); each verdict above says why.`);
    }
    return { result, exitCode, files };
  }

  /**
   * One verdict per guarantee of the tier. When the run stopped before Cucumber announced its
   * scenarios (the environment did not start), the catalogue still names every guarantee.
   */
  #verdicts(catalogue: readonly CatalogueEntry[], interrupted: boolean, error: unknown): GuaranteeVerdict[] {
    const context = {
      profile: this.#profile.name, profileCertifies: this.#profile.certifies, interrupted,
      ...(this.#options.tags ? { tags: this.#options.tags } : {}),
    };
    const outcomes = this.#interruptedAt ?? this.#collector.outcomes();
    const why = error ? `the run stopped before any guarantee was evaluated: ${(error as Error).message}` : 'the run stopped before any guarantee was evaluated';
    const neverRun = (entry: CatalogueEntry): ScenarioOutcome => ({
      id: entry.id, title: entry.title, tags: entry.tags, location: entry.location, status: 'NOT_RUN',
      // Once Cucumber announced scenarios, judge says why one never ran (interrupted, or not run); before that, the run's own reason.
      evidence: outcomes.length > 0 ? [] : [{ type: 'not-evaluated', reason: interrupted ? 'the run was interrupted before this guarantee was evaluated' : why }],
    });
    if (outcomes.length === 0) return catalogue.map((entry) => judge(neverRun(entry), context));
    // Every guarantee of the tier, in the catalogue's order — whatever Cucumber had announced when the run stopped.
    const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
    const known = new Set(catalogue.map((entry) => entry.id));
    return [
      ...catalogue.map((entry) => judge(byId.get(entry.id) ?? neverRun(entry), context)),
      ...outcomes.filter((outcome) => !known.has(outcome.id)).map((outcome) => judge(outcome, context)),
    ];
  }

  /** Whether a scenario this run selects (tier, `--tags`) asks for a load. */
  #startsLoad(catalogue: readonly CatalogueEntry[]): boolean {
    const selected = this.#options.tags ? parseTagExpression(this.#options.tags) : undefined;
    return catalogue.some((entry) => entry.needs.includes('load') && (!selected || selected.evaluate(entry.tags)));
  }

  /** The guarantees `--require-evaluated` names that were not evaluated. */
  #requiredButNotEvaluated(catalogue: readonly CatalogueEntry[], verdicts: readonly GuaranteeVerdict[]): GuaranteeVerdict[] {
    if (!this.#options.requireEvaluated) return [];
    const required = parseTagExpression(this.#options.requireEvaluated);
    const tagsOf = new Map(catalogue.map((entry) => [entry.id, entry.tags]));
    return verdicts.filter((verdict) => verdict.verdict === 'NOT_EVALUATED' && required.evaluate(tagsOf.get(verdict.id) ?? []));
  }

  #unlessInterrupted<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.#interrupted]);
  }
}

/**
 * The DFSPs of ours the callback server answers for: the payer, and the bystander only where the
 * hub knows it — elsewhere a callback addressed to it is no answer of ours, so it stays forged.
 */
function ourDfsps(config: ConformanceConfig, environment: StartedEnvironment): string[] {
  const { payer, bystander } = config.participants;
  return serves(environment, 'bystander-dfsp') ? [payer.fspId, bystander.fspId] : [payer.fspId];
}

function withoutTested(description: EnvironmentDescription): EnvironmentDescription {
  const { tested: _tested, ...rest } = description;
  return rest;
}

function exitCodeOf(error: unknown): number {
  if (error instanceof EnvironmentUnavailableError) return ExitCode.environmentUnavailable;
  if (error instanceof UserError) return ExitCode.usage;
  return ExitCode.internalError;
}

async function claim(reportsDir: string): Promise<ReportsLock> {
  try {
    return await ReportsLock.acquire(reportsDir);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw unwritable(reportsDir, error);
  }
}

function unwritable(reportsDir: string, error: unknown): UserError {
  return new UserError(`reports directory "${reportsDir}" cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}); choose another with --reports-dir`, [], { cause: error });
}
