import type { ConformanceConfig, PartyRef } from '../../config/schema.ts';
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
    return new StartedUrlEnvironment(hubUrl, this.#config.parties.invalidFulfilment);
  }
}

class StartedUrlEnvironment implements StartedEnvironment {
  readonly kind = 'url' as const;
  readonly hubUrl: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly controlledPayee?: { invalidFulfilment: PartyRef };

  constructor(hubUrl: string, invalidFulfilment: PartyRef | undefined) {
    this.hubUrl = hubUrl;
    this.capabilities = new Set<Capability>(invalidFulfilment ? ['fspiop-api', 'controlled-payee'] : ['fspiop-api']);
    if (invalidFulfilment) this.controlledPayee = { invalidFulfilment };
  }

  describe(): EnvironmentDescription {
    return { kind: this.kind, summary: 'hub under test given by URL (attached, not deployed)', endpoints: { hub: redactUrl(this.hubUrl) } };
  }

  whyMissing(capability: Capability): string {
    if (capability === 'controlled-payee') {
      return 'no payee under our control: set parties.invalidFulfilment to a party whose DFSP (one you run) answers with a wrong fulfilment';
    }
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
