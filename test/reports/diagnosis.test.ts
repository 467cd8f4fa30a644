import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackStats } from '../../src/fspiop/callback-server.ts';
import { describeAnswer } from '../../src/fspiop/answer.ts';
import { diagnose } from '../../src/reports/diagnosis.ts';

const stats = (accepted: number, forged = 0, duplicate = 0): CallbackStats => ({
  accepted, late: 0, duplicate, examples: forged ? { forged: 'FSPIOP-Source "hub-1" is neither the hub nor a counterparty of this DFSP (switch, Hub, payeefsp)' } : {},
  rejected: { 'malformed-json': 0, oversized: 0, 'unsupported-media-type': 0, 'unknown-path': 0, 'unknown-id': 0, forged },
});
const quiet = { sent: 5, acknowledged: 5, unanswered: null, notFspiop: null };
const base = { callbackUrl: 'http://10.0.0.5:4100', hubUrl: 'https://gw.example/fspiop?apikey=SECRET', payerFspId: 'payerfsp' };

describe('diagnose', () => {
  it('says nothing when callbacks arrived and every request was answered', () => {
    assert.deepEqual(diagnose({ ...base, trouble: quiet, callbacks: stats(5) }), []);
  });

  it('says once that no callback arrived at all, where they were expected and what to check', () => {
    const [line, ...rest] = diagnose({ ...base, trouble: quiet, callbacks: stats(0) });
    assert.deepEqual(rest, []);
    assert.match(line!, /^No callback arrived at all: the hub acknowledged 5 requests with 202 but never called back on http:\/\/10\.0\.0\.5:4100\./);
    assert.match(line!, /callback endpoints for "payerfsp"/);
    assert.match(line!, /--callback-public-url/);
  });

  it('names callbacks rejected as forged when they were the only ones, and how to accept the hub\'s name', () => {
    const [line] = diagnose({ ...base, trouble: quiet, callbacks: stats(0, 3) });
    assert.match(line!, /3 arrived but were rejected as forged \(FSPIOP-Source "hub-1"/);
    assert.match(line!, /hub\.sourceIds/);
  });

  it('tells an endpoint that is no FSPIOP hub, without leaking the URL\'s query', () => {
    const [line] = diagnose({ ...base, trouble: { ...quiet, acknowledged: 0, notFspiop: { count: 5, example: 'HTTP 404 instead of 202, with a text/html body of 469 bytes (not an FSPIOP error)' } }, callbacks: stats(0) });
    assert.match(line!, /^5 of 5 requests were not answered like an FSPIOP hub answers \(e\.g\. HTTP 404/);
    assert.match(line!, /Is https:\/\/gw\.example\/fspiop\?apikey=\*\*\* the hub's FSPIOP endpoint\?/);
    assert.doesNotMatch(line!, /SECRET/);
  });

  it('says that requests got a second answer, which a forger copying the hub\'s headers would cause', () => {
    const [line] = diagnose({ ...base, trouble: quiet, callbacks: { ...stats(5, 0, 85), examples: { duplicate: 'parties:MSISDN/27700000404 again, from FSPIOP-Source "switch"' } } });
    assert.match(line!, /^85 callbacks answered requests that were already answered \(e\.g\. parties:MSISDN\/27700000404 again, from FSPIOP-Source "switch"\)/);
    assert.match(line!, /cannot tell which answer was the hub's/);
  });

  it('says once that the hub stopped answering, and since when', () => {
    const lines = diagnose({ ...base, trouble: { ...quiet, sent: 7, unanswered: { count: 4, firstAt: '2026-11-27T01:02:03.000Z', example: 'connection refused by gw.example — is the hub running there?' } }, callbacks: stats(3) });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /stopped answering: 4 requests got no HTTP answer from 2026-11-27T01:02:03\.000Z on \(connection refused/);
  });
});

describe('describeAnswer', () => {
  it('reads an FSPIOP error as its code and description', () => {
    assert.deepEqual(describeAnswer({ status: 400, body: JSON.stringify({ errorInformation: { errorCode: '3101', errorDescription: 'Malformed syntax' } }) }),
      { text: 'HTTP 400 instead of 202: error 3101 (Malformed syntax)', fspiop: true });
  });

  it('never pastes a foreign body into a verdict: it says what the body was', () => {
    const page = '<!DOCTYPE HTML>\n<html>\n<head><title>Error response</title></head>\n<body>File not found</body>\n</html>\n';
    const { text, fspiop } = describeAnswer({ status: 404, body: page, contentType: 'text/html;charset=utf-8' });
    assert.equal(text, `HTTP 404 instead of 202, with a text/html body of ${page.length} bytes (not an FSPIOP error)`);
    assert.equal(fspiop, false);
    assert.equal(describeAnswer({ status: 501, body: '' }).text, 'HTTP 501 instead of 202, with an empty body (not an FSPIOP error)');
  });
});
