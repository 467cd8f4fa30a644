import { HubAdminError } from '../fspiop/hub-admin-client.ts';

/**
 * Provisioning stopped: the message says what was being set up, which call the hub refused
 * (endpoint, HTTP status, its errorInformation) and what to check.
 */
export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  /** What was being set up, e.g. `participant payerfsp`. */
  readonly subject: string;
  /** `METHOD url` of the refused call, when there was one. */
  readonly call: string | undefined;
  readonly status: number | undefined;
  readonly errorInformation: { errorCode: string; errorDescription: string } | undefined;

  constructor(message: string, details: { subject: string; call?: string | undefined; status?: number | undefined; errorInformation?: { errorCode: string; errorDescription: string } | undefined }, options?: ErrorOptions) {
    super(message, options);
    this.subject = details.subject;
    this.call = details.call;
    this.status = details.status;
    this.errorInformation = details.errorInformation;
  }
}

/** Calls central-ledger answers only after publishing an event to Kafka: without Kafka they hang. */
const KAFKA_CALLS = /\/initialPositionAndLimits$|\/accounts\/\d+(\/transfers\/[^/]+)?$/;

/** Turns a failed admin call into a ProvisioningError that says what to check. */
export function provisioningFailure(subject: string, error: unknown): ProvisioningError {
  if (!(error instanceof HubAdminError)) {
    return new ProvisioningError(`provisioning ${subject}: ${(error as Error).message}`, { subject }, { cause: error });
  }
  const { call, status, errorInformation, code } = error;
  const answer = errorInformation ? ` (errorInformation ${errorInformation.errorCode}: ${errorInformation.errorDescription})` : '';
  const what = status === undefined ? `${call} failed (${code ?? 'no answer'})` : `${call} answered HTTP ${status}${answer}`;
  return new ProvisioningError(`provisioning ${subject}: ${what}. ${hint(call, status, errorInformation?.errorCode, code, error.message)}`,
    { subject, call, status, errorInformation }, { cause: error });
}

function hint(call: string, status: number | undefined, errorCode: string | undefined, code: string | undefined, message: string): string {
  if (code === 'ECONNREFUSED') return 'Connection refused: is hub.adminUrl central-ledger\'s admin API (port 3001 in a default deployment), and is it running?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The admin API\'s host name does not resolve: check hub.adminUrl.';
  if (code === 'TIMEOUT') {
    const path = call.replace(/^\w+ /, '').replace(/\?.*$/, '');
    return KAFKA_CALLS.test(new URL(path, 'http://x').pathname)
      ? 'central-ledger answers this call only after publishing it to Kafka: is Kafka up, and are central-ledger\'s handlers running? The call may still complete later; run again to see (a re-run keeps what is there).'
      : 'The admin API accepted the connection but did not answer in time: is hub.adminUrl central-ledger\'s admin API, and is its database up?';
  }
  if (status === 401 || status === 403) return `The admin API answered ${status}: this hub wants credentials for it (a gateway in front of central-ledger?). Point hub.adminUrl at the admin API on the operator's network, or give the credentials it wants.`;
  if (status === 404) return 'No such route: is hub.adminUrl central-ledger\'s admin API (not the FSPIOP endpoint, not the ml-api-adapter)?';
  switch (errorCode) {
    case '3101':
    case '3100':
      return 'The hub found the request invalid (see errorInformation): check the names and amounts in the config — central-ledger takes participant names of 2 to 30 characters and settlement model names of letters and digits.';
    case '3000':
      return 'The hub says it exists already, though it was not there when we looked: another run may be provisioning this hub at the same time; run again.';
    case '3003':
      return 'The hub lacks what this needs (see errorInformation) — central-ledger wants the hub\'s HUB_RECONCILIATION and HUB_MULTILATERAL_SETTLEMENT accounts in the currency before any DFSP.';
    case '6000':
      return 'No settlement model covers the currency: create one (POST /settlementModels) or let the provisioner do it.';
    case '3200':
      return 'The hub does not know the participant: was it created (POST /participants)?';
    default:
      return status !== undefined && status >= 500
        ? `The hub failed (${message.slice(0, 120)}): see the hub's logs.`
        : 'See the hub\'s errorInformation above.';
  }
}
