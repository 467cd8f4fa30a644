/** FSPIOP v1.1 error codes this framework produces or expects (API Definition, section 7.6). */
export const FspiopErrorCode = {
  internalServerError: { code: '2001', description: 'Internal server error' },
  genericClientError: { code: '3000', description: 'Generic client error' },
  unacceptableVersion: { code: '3001', description: 'Unacceptable version requested' },
  unknownUri: { code: '3002', description: 'Unknown URI' },
  addPartyInfoError: { code: '3003', description: 'Add Party information error' },
  genericValidationError: { code: '3100', description: 'Generic validation error' },
  malformedSyntax: { code: '3101', description: 'Malformed syntax' },
  missingMandatoryElement: { code: '3102', description: 'Missing mandatory element' },
  invalidSignature: { code: '3105', description: 'Invalid signature' },
  modifiedRequest: { code: '3106', description: 'Modified request' },
  genericIdNotFound: { code: '3200', description: 'Generic ID not found' },
  destinationFspError: { code: '3201', description: 'Destination FSP Error' },
  payerFspIdNotFound: { code: '3202', description: 'Payer FSP ID not found' },
  payeeFspIdNotFound: { code: '3203', description: 'Payee FSP ID not found' },
  partyNotFound: { code: '3204', description: 'Party not found' },
  quoteIdNotFound: { code: '3205', description: 'Quote ID not found' },
  transferIdNotFound: { code: '3208', description: 'Transfer ID not found' },
  transferExpired: { code: '3303', description: 'Transfer expired' },
  payerFspInsufficientLiquidity: { code: '4001', description: 'Payer FSP insufficient liquidity' },
  payerLimitError: { code: '4200', description: 'Payer limit error' },
  genericSettlementError: { code: '6000', description: 'Generic settlement error' },
  payeeFspRejectedTransaction: { code: '5105', description: 'Payee FSP rejected transaction' },
} as const;

export type FspiopError = (typeof FspiopErrorCode)[keyof typeof FspiopErrorCode];

export interface ErrorInformationBody {
  errorInformation: { errorCode: string; errorDescription: string };
}

export function errorInformation(error: FspiopError, detail?: string): ErrorInformationBody {
  return {
    errorInformation: {
      errorCode: error.code,
      errorDescription: detail ? `${error.description} - ${detail}` : error.description,
    },
  };
}
