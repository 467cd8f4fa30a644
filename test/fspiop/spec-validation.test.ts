import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { fspiopHeaders, type FspiopResource } from '../../src/fspiop/headers.ts';
import {
  checkCallbackHeaders,
  negotiatedVersion,
  describeViolation,
  loadFspiopSpecification,
  preloadFspiopSpecification,
  validateThroughLibrary,
  type FspiopMessage,
  type HeaderFinding,
  type SpecViolation,
} from '../../src/fspiop/spec-validation.ts';

// The compile is the slow part: once for the whole file, started before anything else.
preloadFspiopSpecification();
const spec = await loadFspiopSpecification();

const AMOUNT_PATTERN = '^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$';

const quoteId = 'b51ec534-ee48-4575-b6a9-ead2955b8069';
const transactionId = 'a8323bc6-c228-4df2-ae82-e5a997baf898';
const transferId = '9e8f6a37-2d1c-4b5e-8f0a-6c3d2b1a0f9e';
const fulfilment = randomBytes(32).toString('base64url');
const condition = createHash('sha256').update(Buffer.from(fulfilment, 'base64url')).digest('base64url');
// A v1 ILP packet from Mojaloop's examples: base64url of an OER-encoded ILP payment.
const ilpPacket = 'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4wCk5vbmNlOiB1SXlweUYzY3pYSXBFdzVVc05TYWh3CkVuY3J5cHRpb246IG5vbmUKUGF5bWVudC1JZDogMTMyMzZhM2ItOGZhOC00MTYzLTg0NDctNGMzZWQzZGE5OGE3CgpDb250ZW50LUxlbmd0aDogMTM1CkNvbnRlbnQtVHlwZTogYXBwbGljYXRpb24vanNvbgpTZW5kZXItSWRlbnRpZmllcjogOTI4MDYzOTEKCiJ7XCJmZWVcIjowLFwidHJhbnNmZXJDb2RlXCI6XCJpbnZvaWNlXCIsXCJkZWJpdE5hbWVcIjpcImFsaWNlIGNvb3BlclwiLFwiY3JlZGl0TmFtZVwiOlwibWVyIGNoYW50XCIsXCJkZWJpdElkZW50aWZpZXJcIjpcIjkyODA2MzkxXCJ9IgA';
const expiration = new Date(Date.now() + 60_000).toISOString();

const payer = { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '44123456789', fspId: 'payerfsp' } };
const payee = {
  partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '27713803912', fspId: 'payeefsp' },
  name: 'Henrik Karlsson',
  personalInfo: { complexName: { firstName: 'Henrik', middleName: 'Johannes', lastName: 'Karlsson' }, dateOfBirth: '1966-06-16' },
};

const quotePost = {
  quoteId,
  transactionId,
  payee,
  payer,
  amountType: 'SEND',
  amount: { currency: 'USD', amount: '123.45' },
  transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  note: 'Lunch',
  expiration,
  extensionList: { extension: [{ key: 'channel', value: 'app' }] },
};
const quotePut = {
  transferAmount: { currency: 'USD', amount: '123.45' },
  payeeReceiveAmount: { currency: 'USD', amount: '123.45' },
  payeeFspFee: { currency: 'USD', amount: '0' },
  payeeFspCommission: { currency: 'USD', amount: '0' },
  expiration,
  ilpPacket,
  condition,
};
const transferPost = { transferId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: { currency: 'USD', amount: '123.45' }, ilpPacket, condition, expiration };
const transferPut = { fulfilment, completedTimestamp: new Date().toISOString(), transferState: 'COMMITTED' };
const errorBody = { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } };

const request = (resource: FspiopResource, method: string, path: string, body?: unknown): FspiopMessage =>
  ({ method, path, headers: fspiopHeaders({ resource, source: 'payerfsp', destination: 'payeefsp' }), body, direction: 'request' });
const callback = (resource: FspiopResource, path: string, body: unknown): FspiopMessage =>
  ({ method: 'PUT', path, headers: fspiopHeaders({ resource, source: 'payeefsp', destination: 'payerfsp', isCallback: true }), body, direction: 'callback' });

/** The violations as one line each, so a failing assertion shows what the spec said. */
const lines = (violations: SpecViolation[]) => violations.map(describeViolation);

test('the specification is compiled once per process: every load answers the same object', async () => {
  const [first, second] = await Promise.all([loadFspiopSpecification(), loadFspiopSpecification()]);
  assert.equal(first, spec);
  assert.equal(second, spec);
});

const valid: Array<[string, FspiopMessage, string]> = [
  ['GET /parties/{Type}/{ID}', request('parties', 'GET', '/parties/MSISDN/27713803912'), 'PartiesByTypeAndID'],
  ['GET /parties/{Type}/{ID}/{SubId}', request('parties', 'GET', '/parties/PERSONAL_ID/16135551212/DRIVING_LICENSE'), 'PartiesSubIdByTypeAndID'],
  ['PUT /parties/{Type}/{ID}', callback('parties', '/parties/MSISDN/27713803912', { party: payee }), 'PartiesByTypeAndID2'],
  ['PUT /parties/{Type}/{ID}/{SubId}', callback('parties', '/parties/PERSONAL_ID/16135551212/DRIVING_LICENSE', { party: payee }), 'PartiesSubIdByTypeAndIDPut'],
  ['PUT /parties/{Type}/{ID}/error', callback('parties', '/parties/MSISDN/27713803912/error', errorBody), 'PartiesErrorByTypeAndID'],
  ['PUT /parties/{Type}/{ID}/{SubId}/error', callback('parties', '/parties/PERSONAL_ID/16135551212/DRIVING_LICENSE/error', errorBody), 'PartiesSubIdErrorByTypeAndID'],
  ['POST /quotes', request('quotes', 'POST', '/quotes', quotePost), 'Quotes'],
  ['GET /quotes/{ID}', request('quotes', 'GET', `/quotes/${quoteId}`), 'QuotesByID'],
  ['PUT /quotes/{ID}', callback('quotes', `/quotes/${quoteId}`, quotePut), 'QuotesByID1'],
  ['PUT /quotes/{ID}/error', callback('quotes', `/quotes/${quoteId}/error`, errorBody), 'QuotesByIDAndError'],
  ['POST /transfers', request('transfers', 'POST', '/transfers', transferPost), 'transfers'],
  ['GET /transfers/{ID}', request('transfers', 'GET', `/transfers/${transferId}`), 'TransfersByIDGet'],
  ['PUT /transfers/{ID}', callback('transfers', `/transfers/${transferId}`, transferPut), 'TransfersByIDPut'],
  ['PUT /transfers/{ID}/error', callback('transfers', `/transfers/${transferId}/error`, { errorInformation: { errorCode: '5105', errorDescription: 'Payee transaction limit reached', extensionList: { extension: [{ key: 'cause', value: 'limit' }] } } }), 'TransfersByIDAndError'],
];

for (const [name, message, operationId] of valid) {
  test(`a valid ${name} conforms`, () => {
    assert.deepEqual(lines(spec.validate(message)), []);
    // Breaking it proves it was matched to the expected operation, not waved through.
    const violations = spec.validate({ ...message, headers: {} });
    assert.ok(violations.length > 0);
    assert.ok(violations.every((violation) => violation.operationId === operationId), lines(violations).join('\n'));
  });
}

test('an amount with a trailing zero breaks the Amount pattern, named by its field', () => {
  const violations = spec.validate(callback('quotes', `/quotes/${quoteId}`, { ...quotePut, transferAmount: { currency: 'USD', amount: '123.50' } }));
  assert.deepEqual(violations, [{ version: '1.1', operationId: 'QuotesByID1', field: 'body.transferAmount.amount', rule: `must match pattern "${AMOUNT_PATTERN}"` }]);
});

test('a missing mandatory field is required', () => {
  const { condition: _omitted, ...withoutCondition } = transferPost;
  assert.deepEqual(spec.validate(request('transfers', 'POST', '/transfers', withoutCondition)), [
    { version: '1.1', operationId: 'transfers', field: 'body.condition', rule: 'is required' },
  ]);
});

test('a transferState outside the enumeration names the allowed values', () => {
  assert.deepEqual(spec.validate(callback('transfers', `/transfers/${transferId}`, { ...transferPut, transferState: 'DONE' })), [
    { version: '1.1', operationId: 'TransfersByIDPut', field: 'body.transferState', rule: 'must be one of: RECEIVED, RESERVED, COMMITTED, ABORTED' },
  ]);
});

test('a long enumeration is summarised, not listed in full', () => {
  const [violation] = spec.validate(request('transfers', 'POST', '/transfers', { ...transferPost, amount: { currency: 'XYZ', amount: '1' } }));
  assert.equal(violation?.field, 'body.amount.currency');
  assert.match(violation?.rule ?? '', /^must be one of \d+ values: AED, AFN, .*, …$/);
});

test('a correlation id that is not a v1.1 UUID breaks the CorrelationId pattern — v1.1 knows UUID versions 1 to 5 only', () => {
  for (const id of ['not-a-uuid', 'B51EC534-EE48-4575-B6A9-EAD2955B8069', '0190a6c5-3b7e-7c4e-8a8e-1f2d3c4b5a69']) {
    const violations = spec.validate(request('transfers', 'POST', '/transfers', { ...transferPost, transferId: id }));
    assert.deepEqual(violations.map((violation) => violation.field), ['body.transferId'], id);
    assert.match(violations[0]!.rule, /^must match pattern "\^\[0-9a-f\]\{8\}-/);
  }
});

test('every broken rule is reported, not only the first one', () => {
  const violations = spec.validate(request('transfers', 'POST', '/transfers', { ...transferPost, transferId: 'x', amount: { currency: 'USD', amount: '-1' }, expiration: '2026-01-01T00:00:00Z' }));
  assert.deepEqual(violations.map((violation) => violation.field).sort(), ['body.amount.amount', 'body.expiration', 'body.transferId']);
});

test('a missing FSPIOP-Source header is reported as a header violation', () => {
  const message = request('transfers', 'POST', '/transfers', transferPost);
  const { 'fspiop-source': _omitted, ...headers } = message.headers;
  assert.deepEqual(spec.validate({ ...message, headers }), [{ version: '1.1', operationId: 'transfers', field: 'header.fspiop-source', rule: 'is required' }]);
});

test('header names are matched whatever their case, as HTTP says', () => {
  const headers = { 'Content-Type': 'application/vnd.interoperability.transfers+json;version=1.1', Date: new Date().toUTCString(), 'FSPIOP-Source': 'payeefsp' };
  assert.deepEqual(spec.validate({ method: 'PUT', path: `/transfers/${transferId}`, headers, body: transferPut }), []);
});

test('requests need Accept; callbacks do not', () => {
  const message = request('quotes', 'GET', `/quotes/${quoteId}`);
  const { accept: _omitted, ...headers } = message.headers;
  assert.deepEqual(lines(spec.validate({ ...message, headers })), ['QuotesByID (v1.1): header.accept is required']);
});

test('names in any script pass the v1.1 name patterns (\\p{L} needs the u flag); empty or blank ones fail', () => {
  for (const name of ['Zoë', 'Лариса', '李小龍', "O'Brien-Smith", 'Nguyễn Thị Minh Khai']) {
    const party = { ...payee, personalInfo: { complexName: { firstName: name, middleName: name, lastName: name } } };
    assert.deepEqual(lines(spec.validate(callback('parties', '/parties/MSISDN/27713803912', { party }))), [], name);
  }
  const blank = spec.validate(callback('parties', '/parties/MSISDN/27713803912', { party: { ...payee, personalInfo: { complexName: { firstName: '   ', lastName: '' } } } }));
  assert.deepEqual(lines(blank).sort(), [
    'PartiesByTypeAndID2 (v1.1): body.party.personalInfo.complexName.firstName must match pattern "^(?!\\s*$)[\\p{L}\\p{gc=Mark}\\p{digit}\\p{gc=Connector_Punctuation}\\p{Join_Control} .,\'\'-]{1,128}$"',
    'PartiesByTypeAndID2 (v1.1): body.party.personalInfo.complexName.lastName must be at least 1 character long',
    'PartiesByTypeAndID2 (v1.1): body.party.personalInfo.complexName.lastName must match pattern "^(?!\\s*$)[\\p{L}\\p{gc=Mark}\\p{digit}\\p{gc=Connector_Punctuation}\\p{Join_Control} .,\'\'-]{1,128}$"',
  ]);
});

test('an operation the v1.1 definition does not have is a violation itself', () => {
  assert.deepEqual(spec.validate({ method: 'PATCH', path: '/foo', headers: {} }), [
    { version: '1.1', operationId: undefined, field: 'route', rule: 'no such operation in FSPIOP v1.1: PATCH /foo' },
  ]);
  assert.deepEqual(lines(spec.validate({ method: 'DELETE', path: `/transfers/${transferId}?x=1`, headers: {} })), [
    `(no operation) (v1.1): route no such operation in FSPIOP v1.1: DELETE /transfers/${transferId} (the path allows GET, PATCH, PUT)`,
  ]);
});

test('a callback without its body is told the body is required; with an unparsable one, only that it does not parse', () => {
  assert.deepEqual(lines(spec.validate(callback('transfers', `/transfers/${transferId}`, undefined))), ['TransfersByIDPut (v1.1): body is required']);
  assert.deepEqual(lines(spec.validate(callback('transfers', `/transfers/${transferId}`, '{"transferState":'))).map((line) => line.replace(/\((?!v\d).*\)$/, '(…)')), [
    'TransfersByIDPut (v1.1): body is not valid JSON (…)',
  ]);
  assert.deepEqual(lines(spec.validate(callback('transfers', `/transfers/${transferId}`, '{"transferState":"DONE"}'))), [
    'TransfersByIDPut (v1.1): body.transferState must be one of: RECEIVED, RESERVED, COMMITTED, ABORTED',
  ]);
});

test('the direction, when given, must agree with the method: callbacks are the PUTs', () => {
  const asCallback = { ...request('transfers', 'POST', '/transfers', transferPost), direction: 'callback' as const };
  assert.deepEqual(lines(spec.validate(asCallback)), ['transfers (v1.1): method a callback is a PUT, not a POST']);
  const asRequest = { ...callback('transfers', `/transfers/${transferId}`, transferPut), direction: 'request' as const };
  assert.deepEqual(lines(spec.validate(asRequest)), ['TransfersByIDPut (v1.1): method a PUT is a callback, not a request']);
});

// ── Callback headers ──────────────────────────────────────────────────────────────────────────

const NOW = Date.parse('2026-03-02T10:00:00Z');
const goodCallbackHeaders = {
  'Content-Type': 'application/vnd.interoperability.transfers+json;version=1.1',
  Date: new Date(NOW - 30_000).toUTCString(),
  'FSPIOP-Source': 'payeefsp',
  'FSPIOP-Destination': 'payerfsp',
};
const checkTransfer = (headers: Record<string, string>) =>
  checkCallbackHeaders({ resource: 'transfers', headers, expectedDestination: 'payerfsp', allowedSources: ['payeefsp', 'hub'], now: NOW });
const failing = (findings: HeaderFinding[]) => findings.filter((finding) => !finding.ok);

test('a well-formed callback satisfies every header rule, each stated in words', () => {
  const findings = checkTransfer(goodCallbackHeaders);
  assert.deepEqual(failing(findings), []);
  assert.deepEqual(findings.map((finding) => `${finding.header} ${finding.rule}`), [
    'content-type is application/vnd.interoperability.transfers+json;version=<major.minor> of a version with a definition (1.0, 1.1, 2.0)',
    'date is an RFC 7231 IMF-fixdate (e.g. "Sun, 06 Nov 1994 08:49:37 GMT")',
    "date is within ±5 minutes of the receiver's clock",
    'fspiop-source is one of: payeefsp, hub',
    'fspiop-destination is payerfsp',
  ]);
});

test('Content-Type fails for another resource, a version without a definition, no minor version, or none at all', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['application/vnd.interoperability.quotes+json;version=1.1', 'names the resource "quotes", the callback is on /transfers'],
    ['application/vnd.interoperability.transfers+json;version=3.0', 'version 3.0 has no FSPIOP definition'],
    ['application/vnd.interoperability.transfers+json;version=1', 'has no minor version: a Content-Type states the exact version'],
    ['application/json', undefined],
    [undefined, undefined],
  ];
  for (const [value, detail] of cases) {
    const headers: Record<string, string> = { ...goodCallbackHeaders };
    if (value === undefined) delete headers['Content-Type'];
    else headers['Content-Type'] = value;
    const [finding, ...others] = failing(checkTransfer(headers));
    assert.equal(others.length, 0, String(value));
    assert.equal(finding?.header, 'content-type');
    assert.equal(finding?.value, value);
    assert.equal(finding?.detail, detail);
  }
});

test('Date fails when it is not an IMF-fixdate, and its clock rule fails with it', () => {
  for (const value of ['2026-03-02T10:00:00Z', 'Monday, 02-Mar-26 10:00:00 GMT', 'Tue, 02 Mar 2026 10:00:00 GMT', 'Mon, 02 Mar 2026 10:00:00 +0000']) {
    const findings = failing(checkTransfer({ ...goodCallbackHeaders, Date: value }));
    assert.deepEqual(findings.map((finding) => [finding.header, finding.ok]), [['date', false], ['date', false]], value);
    assert.equal(findings[1]?.detail, 'cannot be compared: not an IMF-fixdate');
  }
  const { Date: _omitted, ...withoutDate } = goodCallbackHeaders;
  assert.equal(failing(checkTransfer(withoutDate))[0]?.detail, 'is absent');
});

test('Date fails when it is more than the tolerance away from the receiver\'s clock, either way', () => {
  const behind = failing(checkTransfer({ ...goodCallbackHeaders, Date: new Date(NOW - 7 * 60_000).toUTCString() }));
  assert.deepEqual(behind.map((finding) => finding.detail), ["is 7 minutes behind the receiver's clock"]);
  const ahead = failing(checkTransfer({ ...goodCallbackHeaders, Date: new Date(NOW + 5 * 60_000 + 1000).toUTCString() }));
  assert.deepEqual(ahead.map((finding) => finding.detail), ["is 5.0 minutes ahead of the receiver's clock"]);
  assert.deepEqual(failing(checkTransfer({ ...goodCallbackHeaders, Date: new Date(NOW + 5 * 60_000).toUTCString() })), [], 'the bound is allowed');
});

test('FSPIOP-Source fails when the sender is not an allowed source', () => {
  const findings = failing(checkTransfer({ ...goodCallbackHeaders, 'FSPIOP-Source': 'mallory' }));
  assert.deepEqual(findings, [{ header: 'fspiop-source', value: 'mallory', rule: 'is one of: payeefsp, hub', ok: false }]);
});

test('FSPIOP-Destination fails when the callback is addressed to someone else, or to no one', () => {
  assert.deepEqual(failing(checkTransfer({ ...goodCallbackHeaders, 'FSPIOP-Destination': 'otherfsp' })), [
    { header: 'fspiop-destination', value: 'otherfsp', rule: 'is payerfsp', ok: false },
  ]);
  const { 'FSPIOP-Destination': _omitted, ...withoutDestination } = goodCallbackHeaders;
  assert.deepEqual(failing(checkTransfer(withoutDestination)), [{ header: 'fspiop-destination', value: undefined, rule: 'is payerfsp', ok: false }]);
});

// ── Versions ──────────────────────────────────────────────────────────────────────────────────

test('a message is held to the definition of the version its Content-Type names: v2.0 has FX, v1.1 has not', () => {
  const fxError = (version: string): FspiopMessage => ({
    method: 'PUT', path: `/fxQuotes/${quoteId}/error`, direction: 'callback', body: errorBody,
    headers: { 'content-type': `application/vnd.interoperability.fxQuotes+json;version=${version}`, date: new Date().toUTCString(), 'fspiop-source': 'payeefsp', 'fspiop-destination': 'payerfsp' },
  });
  assert.deepEqual(lines(spec.validate(fxError('2.0'))), []);
  assert.deepEqual(lines(spec.validate(fxError('1.1'))), [`(no operation) (v1.1): route no such operation in FSPIOP v1.1: PUT /fxQuotes/${quoteId}/error`]);
  assert.deepEqual(lines(spec.validate(fxError('1.0'))).length, 1, '1.0 is held to v1.1, its compatible successor');
});

test('a Content-Type version without a definition is a violation of its own, not a pass', () => {
  const message = callback('transfers', `/transfers/${transferId}`, transferPut);
  const headers = { ...message.headers, 'content-type': 'application/vnd.interoperability.transfers+json;version=3.0' };
  assert.deepEqual(lines(spec.validate({ ...message, headers })), ['(no operation) (v1.1): header.content-type names FSPIOP version 3.0, which has no definition (1.1, 2.0)']);
});

test('version negotiation: a callback must come in a version its request\'s Accept listed', () => {
  const accept = 'application/vnd.interoperability.parties+json;version=1,application/vnd.interoperability.parties+json;version=2.0';
  const type = (version: string) => `application/vnd.interoperability.parties+json;version=${version}`;
  assert.equal(negotiatedVersion('parties', accept, type('1.1')).ok, true);
  assert.equal(negotiatedVersion('parties', accept, type('2.0')).ok, true);
  assert.equal(negotiatedVersion('parties', accept, type('2.1')).ok, false, 'an exact 2.0 accepts no other 2.x');
  assert.equal(negotiatedVersion('parties', 'application/vnd.interoperability.parties+json;version=1', type('2.0')).ok, false);
  assert.equal(negotiatedVersion('parties', 'application/vnd.interoperability.parties+json', type('2.0')).ok, true, 'no version: any');
  assert.equal(negotiatedVersion('parties', undefined, type('1.1')).ok, false, 'no Accept: nothing was accepted');
  assert.deepEqual(negotiatedVersion('parties', accept, undefined), { contentType: undefined, accept, ok: false });
});

test('the fast path gives the answers openapi-backend\'s own request parsing gives, broken messages included', () => {
  const broken = (message: FspiopMessage): FspiopMessage[] => [
    message,
    { ...message, headers: {} },
    { ...message, headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name.toUpperCase(), value])) },
    { ...message, headers: { ...message.headers, date: 'yesterday', 'fspiop-source': '' } },
    { ...message, body: undefined },
    { ...message, body: null },
    { ...message, body: 'not json' },
    { ...message, body: '{"transferState":"COMMITTED"}' },
    { ...message, body: [] },
    { ...message, body: { ...(message.body as object), unexpected: 1, amount: 12 } },
    { ...message, path: `${message.path}/` },
    { ...message, path: message.path.replace(/\/[^/]+$/, '/%4Eame%20with%20spaces') },
    { ...message, headers: { ...message.headers, 'content-type': 'application/json' }, body: 'still not json' },
  ];
  let compared = 0;
  for (const [, message] of valid) {
    for (const variant of broken(message)) {
      assert.deepEqual(lines(spec.validate(variant)), lines(validateThroughLibrary(spec, variant)), `${variant.method} ${variant.path} ${JSON.stringify(variant.body)?.slice(0, 80)}`);
      compared += 1;
    }
  }
  assert.equal(compared, valid.length * 13);
});

test('a path parameter that is not valid percent-encoding is validated as written, where the library throws', () => {
  const message = request('parties', 'GET', '/parties/MSISDN/%E0%A4%A');
  assert.throws(() => validateThroughLibrary(spec, message), URIError);
  // The definition asks only for a string there: as written, it conforms; the rest of the message is still held to its rules.
  assert.deepEqual(lines(spec.validate(message)), []);
  const { 'fspiop-source': _source, ...withoutSource } = message.headers;
  assert.deepEqual(lines(spec.validate({ ...message, headers: withoutSource })), ['PartiesByTypeAndID (v1.1): header.fspiop-source is required']);
});
