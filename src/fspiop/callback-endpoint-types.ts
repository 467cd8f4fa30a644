/**
 * The FSPIOP callback endpoint types a hub keeps per participant (central-ledger's `endpointType`
 * seed) with the path each one is registered with, relative to the DFSP's callback base URL, as
 * Mojaloop's Testing Toolkit provisioning collection registers them. `{{…}}` placeholders are
 * filled in by the hub for each callback (central-ledger's templating), so they stay literal here.
 */
export interface CallbackEndpointType {
  type: string;
  /** Appended to the DFSP's callback base URL ('' when the hub appends the resource path itself). */
  path: string;
  /** Needed for a P2P transfer (party lookup, quote, transfer): a hub refusing it cannot be certified. */
  p2p: boolean;
}

export const FSPIOP_CALLBACK_ENDPOINT_TYPES: readonly CallbackEndpointType[] = [
  { type: 'FSPIOP_CALLBACK_URL_PARTIES_GET', path: '/parties/{{partyIdType}}/{{partyIdentifier}}', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_PARTIES_PUT', path: '/parties/{{partyIdType}}/{{partyIdentifier}}', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR', path: '/parties/{{partyIdType}}/{{partyIdentifier}}/error', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_GET', path: '/parties/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT', path: '/parties/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT_ERROR', path: '/parties/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}/error', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT', path: '/participants/{{partyIdType}}/{{partyIdentifier}}', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR', path: '/participants/{{partyIdType}}/{{partyIdentifier}}/error', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT', path: '/participants/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT_ERROR', path: '/participants/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}/error', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_DELETE', path: '/participants/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT', path: '/participants/{{requestId}}', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT_ERROR', path: '/participants/{{requestId}}/error', p2p: false },
  // Quotes, transaction requests and authorizations are registered as the base URL: the quoting
  // service and the transaction-request service append the resource path themselves.
  { type: 'FSPIOP_CALLBACK_URL_QUOTES', path: '', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_BULK_QUOTES', path: '', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE', path: '', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_AUTHORIZATIONS', path: '', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', path: '/transfers', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', path: '/transfers/{{transferId}}', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', path: '/transfers/{{transferId}}/error', p2p: true },
  { type: 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST', path: '/bulkTransfers', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT', path: '/bulkTransfers/{{id}}', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR', path: '/bulkTransfers/{{id}}/error', p2p: false },
  // Foreign exchange (FSPIOP v2): central-ledger knows these from v18.0; an older one refuses them.
  { type: 'FSPIOP_CALLBACK_URL_FX_QUOTES', path: '', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_POST', path: '/fxTransfers', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT', path: '/fxTransfers/{{commitRequestId}}', p2p: false },
  { type: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR', path: '/fxTransfers/{{commitRequestId}}/error', p2p: false },
];

/** The endpoint value of `type` for a DFSP whose callbacks arrive at `baseUrl`. */
export function callbackEndpointValue(baseUrl: string, endpoint: CallbackEndpointType): string {
  return `${baseUrl.replace(/\/+$/, '')}${endpoint.path}`;
}
