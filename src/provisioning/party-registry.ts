import { CallbackCorrelator, CallbackTimeoutError, type ReceivedCallback } from '../fspiop/callback-correlator.ts';
import { partyKey, type PartyId } from '../fspiop/messages.ts';
import { OutboundError, sendFspiop, type OutboundTransport } from '../fspiop/outbound.ts';
import { joinUrl, redactUrl } from '../support/url.ts';

/**
 * The account-lookup service's oracle as the provisioner needs it: who holds a party, and
 * registering a party for the DFSP that holds it.
 */
export interface PartyRegistry {
  /** The FSP the hub's oracle names for the party; undefined when it names none. */
  holderOf(party: PartyId): Promise<string | undefined>;
  /** Registers the party as held by `fspId`, asking as that DFSP. */
  register(party: PartyId, fspId: string, currency: string): Promise<void>;
}

/** The registry could not be asked, or answered something unexpected: the message names the request and the answer. */
export class PartyRegistryError extends Error {
  override readonly name = 'PartyRegistryError';
}

export interface FspiopPartyRegistryOptions {
  /** The hub's FSPIOP endpoint (the account-lookup service behind it). */
  hubUrl: string;
  /** Whose name the lookups go out in: its FSPIOP_CALLBACK_URL_PARTICIPANT_PUT endpoint must reach `callbacks`. */
  askingFsp: string;
  /** Where the answers to GET /participants arrive: the payer's `CallbackServer.correlator`. */
  callbacks: Pick<CallbackCorrelator, 'expect'>;
  timeoutMs: number;
  /** What the lookups present (the run's transport); default none. */
  transport?: OutboundTransport | undefined;
}

/**
 * The oracle through FSPIOP, as a DFSP uses it: GET /participants/{Type}/{ID}[/{SubId}] (the
 * answer arrives as a PUT callback to the asking DFSP) and POST /participants/{Type}/{ID}[/{SubId}]
 * sent as the DFSP that holds the party (the hub acknowledges with 202; its result goes to that
 * DFSP's callback endpoint, which may not be ours — the next lookup shows whether it took).
 */
export class FspiopPartyRegistry implements PartyRegistry {
  readonly #options: FspiopPartyRegistryOptions;

  constructor(options: FspiopPartyRegistryOptions) {
    this.#options = options;
  }

  async holderOf(party: PartyId): Promise<string | undefined> {
    const path = participantsPath(party);
    const expected = this.#options.callbacks.expect(CallbackCorrelator.key('participants', partyKey(party)), this.#options.timeoutMs);
    try {
      await this.#send('GET', path, this.#options.askingFsp);
    } catch (error) {
      expected.cancel();
      throw error;
    }
    let answer: ReceivedCallback;
    try {
      answer = await expected.callback;
    } catch (error) {
      if (error instanceof CallbackTimeoutError) {
        throw new PartyRegistryError(`GET ${this.#show(path)}: no PUT ${path} callback within ${this.#options.timeoutMs} ms — is ${this.#options.askingFsp}'s FSPIOP_CALLBACK_URL_PARTICIPANT_PUT endpoint our callback server?`, { cause: error });
      }
      throw error;
    }
    if (answer.kind === 'error') {
      // The oracle knows no holder: 3204 "Party not found" (3200 from some oracles).
      const code = (answer.body as { errorInformation?: { errorCode?: string } } | undefined)?.errorInformation?.errorCode;
      if (code === '3204' || code === '3200') return undefined;
      throw new PartyRegistryError(`GET ${this.#show(path)} was answered with error ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
    const fspId = (answer.body as { fspId?: unknown } | undefined)?.fspId;
    return typeof fspId === 'string' && fspId !== '' ? fspId : undefined;
  }

  async register(party: PartyId, fspId: string, currency: string): Promise<void> {
    await this.#send('POST', participantsPath(party), fspId, { fspId, currency });
  }

  async #send(method: 'GET' | 'POST', path: string, source: string, body?: unknown): Promise<void> {
    const url = joinUrl(this.#options.hubUrl, path);
    let status: number;
    let answer: string;
    try {
      ({ status, body: answer } = await sendFspiop({ method, url, resource: 'participants', source, body, timeoutMs: this.#options.timeoutMs, detectSilentPeer: false }, this.#options.transport));
    } catch (error) {
      const code = error instanceof OutboundError ? error.code : '';
      const hint = code === 'ECONNREFUSED' ? ': is hub.url the hub\'s FSPIOP endpoint?' : '';
      throw new PartyRegistryError(`${method} ${this.#show(path)} failed: ${(error as Error).message}${hint}`, { cause: error });
    }
    if (status !== 202 && status !== 200) {
      throw new PartyRegistryError(`${method} ${this.#show(path)} as ${source} answered HTTP ${status}: ${answer.slice(0, 200)}`);
    }
  }

  #show(path: string): string {
    return redactUrl(joinUrl(this.#options.hubUrl, path));
  }
}

/** `/participants/{Type}/{ID}` or `/participants/{Type}/{ID}/{SubId}`. */
export function participantsPath(party: PartyId): string {
  return `/participants/${[party.type, party.id, ...(party.subId === undefined ? [] : [party.subId])].map(encodeURIComponent).join('/')}`;
}
