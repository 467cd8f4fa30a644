import { request } from 'node:http';
import type { ConformanceConfig } from '../../config/schema.ts';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import { redactUrl } from '../../reports/redact.ts';
import type { Capability, ConformanceEnvironment, EnvironmentDescription, StartedEnvironment } from '../environment.ts';

/** URL-target callback port when none is configured; `npm run hub` points its payer endpoint here. */
export const DEFAULT_URL_CALLBACK_PORT = 4100;

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
    const hubUrl = this.#config.hub.url!.replace(/\/+$/, '');
    await assertReachable(hubUrl, Math.min(this.#config.timeouts.startupMs, 10_000));
    const capabilities = new Set<Capability>(['fspiop-api']);
    // Only a payee we run can be told to misbehave; naming such a party in the config says the user runs one.
    if (this.#config.parties.invalidFulfilment) capabilities.add('controlled-payee');
    return new StartedUrlEnvironment(hubUrl, capabilities);
  }
}

class StartedUrlEnvironment implements StartedEnvironment {
  readonly kind = 'url' as const;
  readonly hubUrl: string;
  readonly capabilities: ReadonlySet<Capability>;

  constructor(hubUrl: string, capabilities: ReadonlySet<Capability>) {
    this.hubUrl = hubUrl;
    this.capabilities = capabilities;
  }

  describe(): EnvironmentDescription {
    return { kind: this.kind, summary: 'hub under test given by URL (attached, not deployed)', endpoints: { hub: redactUrl(this.hubUrl) } };
  }

  whyMissing(capability: Capability): string {
    if (capability === 'controlled-payee') {
      return 'no payee under our control: set parties.invalidFulfilment to a party whose DFSP answers with a wrong fulfilment';
    }
    return `a hub given by URL offers only its FSPIOP API; ${capability} needs --target compose or --target kubernetes`;
  }

  async connectPayer(): Promise<void> {
    // The hub's own onboarding (e.g. Testing Toolkit provisioning) must point the payer's endpoints at our callback URL.
  }

  async stop(): Promise<void> {}
}

/** Any HTTP answer proves the hub is there; no answer is a user-facing error that names the URL and the way out. */
async function assertReachable(hubUrl: string, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = request(new URL('/health', hubUrl), { method: 'GET', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve();
    });
    probe.on('timeout', () => probe.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    probe.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ECONNREFUSED' ? 'connection refused' : error.code === 'ENOTFOUND' ? 'host not found' : error.message;
      reject(new EnvironmentUnavailableError(`hub at ${redactUrl(hubUrl)} is unreachable (${why}); start it (e.g. \`npm run hub\`) or correct --hub-url / hub.url`));
    });
    probe.end();
  });
}
