import { z } from 'zod';
import { joinUrl, redactUrl } from '../support/url.ts';

const Position = z.object({ currency: z.string(), value: z.number() });
const Limit = z.object({ currency: z.string(), limit: z.object({ type: z.string(), value: z.number(), alarmPercentage: z.number().optional() }) });

/** The admin API answered something else than central-ledger would: the message names the call and the answer. */
export class HubAdminError extends Error {
  override readonly name = 'HubAdminError';
}

/**
 * A client of the hub's administration API in central-ledger's shape (GET /participants/{name}/positions,
 * GET and PUT /participants/{name}/limits): what a functional scenario reads positions from and
 * sets a net debit cap through. Works against the reference hub and a real central-ledger alike.
 */
export class HubAdminClient {
  readonly #adminUrl: string;
  readonly #timeoutMs: number;

  constructor(adminUrl: string, timeoutMs: number) {
    this.#adminUrl = adminUrl;
    this.#timeoutMs = timeoutMs;
  }

  /** Where the numbers come from, for the evidence. */
  describe(path: string): string {
    return `GET ${redactUrl(joinUrl(this.#adminUrl, path))}`;
  }

  /** The participant's position in the currency, as a number (positive: it owes the scheme). */
  async position(participant: string, currency: string): Promise<number> {
    const path = `/participants/${encodeURIComponent(participant)}/positions`;
    const positions = z.array(Position).safeParse(await this.#call('GET', path));
    const position = positions.success ? positions.data.find((entry) => entry.currency === currency) : undefined;
    if (!position) throw new HubAdminError(`${this.describe(path)} gave no ${currency} position for ${participant}`);
    return position.value;
  }

  async netDebitCap(participant: string, currency: string): Promise<number> {
    const path = `/participants/${encodeURIComponent(participant)}/limits`;
    const limits = z.array(Limit).safeParse(await this.#call('GET', path));
    const limit = limits.success ? limits.data.find((entry) => entry.currency === currency && entry.limit.type === 'NET_DEBIT_CAP') : undefined;
    if (!limit) throw new HubAdminError(`${this.describe(path)} gave no ${currency} NET_DEBIT_CAP for ${participant}`);
    return limit.limit.value;
  }

  async setNetDebitCap(participant: string, currency: string, value: number): Promise<void> {
    await this.#call('PUT', `/participants/${encodeURIComponent(participant)}/limits`,
      { currency, limit: { type: 'NET_DEBIT_CAP', value, alarmPercentage: 10 } });
  }

  async #call(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const url = joinUrl(this.#adminUrl, path);
    let response: Response;
    try {
      response = await fetch(url, {
        method, signal: AbortSignal.timeout(this.#timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    } catch (error) {
      throw new HubAdminError(`${method} ${redactUrl(url)} failed: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new HubAdminError(`${method} ${redactUrl(url)} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    try {
      return text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new HubAdminError(`${method} ${redactUrl(url)} answered HTTP ${response.status} with a body that is not JSON`);
    }
  }
}
