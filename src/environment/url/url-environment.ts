import { CONTROLLED_PAYEE_ROLES, type ConformanceConfig, type ControlledParty, type ControlledPayeeRole } from '../../config/schema.ts';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import type { Capability } from '../../catalogue/capabilities.ts';
import { probeClientCertificateDemand } from '../../support/tls-probe.ts';
import { joinUrl, redactUrl } from '../../support/url.ts';
import type { ConformanceEnvironment, EnvironmentDescription, StartedEnvironment } from '../environment.ts';

/**
 * A hub that already runs somewhere, given by URL. We attach, never deploy: only the payer side
 * is ours, and the hub must already know where our callback server listens (config `callback`).
 */
export class UrlEnvironment implements ConformanceEnvironment {
  readonly kind = 'url' as const;
  readonly #config: ConformanceConfig;

  constructor(config: ConformanceConfig) {
    this.#config = config;
  }

  async start(): Promise<StartedEnvironment> {
    const hubUrl = this.#config.hub.url!;
    await reachHub(hubUrl, Math.min(this.#config.timeouts.startupMs, 10_000));
    // Only a payee the user runs can be told to misbehave, and only the user may name it: a party
    // the hub under test named would let the hub choose the input of its own safety check.
    const named = Object.fromEntries(Object.keys(CONTROLLED_PAYEE_ROLES).flatMap((role) => {
      const party = this.#config.parties[role as ControlledPayeeRole];
      return party ? [[role, party]] : [];
    })) as Partial<Record<ControlledPayeeRole, ControlledParty>>;
    return new StartedUrlEnvironment(hubUrl, named, this.#config.hub.adminUrl);
  }
}

class StartedUrlEnvironment implements StartedEnvironment {
  readonly kind = 'url' as const;
  readonly callbackRouteUnproven = true;
  readonly hubUrl: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly controlledPayee?: Partial<Record<ControlledPayeeRole, ControlledParty>>;
  readonly adminUrl?: string;

  constructor(hubUrl: string, controlledPayee: Partial<Record<ControlledPayeeRole, ControlledParty>>, adminUrl: string | undefined) {
    this.hubUrl = hubUrl;
    const capabilities: Capability[] = ['fspiop-api'];
    if (Object.keys(controlledPayee).length > 0) {
      capabilities.push('controlled-payee');
      this.controlledPayee = controlledPayee;
    }
    if (adminUrl) {
      capabilities.push('hub-ledger');
      this.adminUrl = adminUrl;
    }
    this.capabilities = new Set(capabilities);
  }

  describe(): EnvironmentDescription {
    return { kind: this.kind, summary: 'hub under test given by URL (attached, not deployed)', endpoints: { hub: redactUrl(this.hubUrl) } };
  }

  whyMissing(capability: Capability): string {
    if (capability === 'controlled-payee') {
      return `no payee under our control: name parties of a payee DFSP you run in the config (parties.${Object.keys(CONTROLLED_PAYEE_ROLES).join(', parties.')})`;
    }
    if (capability === 'payee-observation') return 'the payee DFSP is yours: the framework cannot see what the hub told it (the embedded target can)';
    if (capability === 'hub-ledger') return 'set hub.adminUrl to the hub\'s admin API (central-ledger, port 3001) to read positions and set a net debit cap';
    return `a hub given by URL offers only its FSPIOP API; ${capability} needs a compose or kubernetes target, which this version does not have yet`;
  }

  async connectPayer(): Promise<void> {
    // The hub's own onboarding (e.g. Testing Toolkit provisioning) must point the payer's endpoints at our callback URL.
  }

  async stop(): Promise<void> {}
}

/** Any HTTP answer proves the hub is there; no answer is a user-facing error that names the URL and the way out. */
async function reachHub(hubUrl: string, timeoutMs: number): Promise<void> {
  try {
    const response = await fetch(joinUrl(hubUrl, '/health'), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    // A hub that demands a client certificate closes on us after the handshake: it is there, and
    // mutual TLS is its answer, not an outage.
    if (hubUrl.startsWith('https:') && (await probeClientCertificateDemand(new URL(hubUrl), timeoutMs)).outcome === 'demanded') return;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms`
      : cause?.code === 'ECONNREFUSED' ? 'connection refused'
        : cause?.code === 'ENOTFOUND' ? 'host not found'
          : /wrong version number|WRONG_VERSION_NUMBER/i.test(`${cause?.code ?? ''} ${cause?.message ?? ''}`) ? 'it does not speak TLS there — is it plain http?'
            : (cause?.message ?? (error as Error).message).split('\n')[0];
    throw new EnvironmentUnavailableError(`hub at ${redactUrl(hubUrl)} is unreachable (${why}); start it (e.g. \`npm run hub\`) or correct --hub-url / hub.url`, [], { cause: error });
  }
}
