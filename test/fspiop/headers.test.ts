import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCEPTABLE_VERSIONS as CONFIG_ACCEPTABLE, FSPIOP_VERSIONS as CONFIG_VERSIONS } from '../../src/config/schema.ts';
import { accept, ACCEPTABLE_VERSIONS, fspiopHeaders, FSPIOP_VERSIONS, isAccepted, parseAcceptHeader } from '../../src/fspiop/headers.ts';

test('the config offers exactly the versions the protocol has definitions for', () => {
  assert.deepEqual([...CONFIG_VERSIONS], [...FSPIOP_VERSIONS]);
  assert.deepEqual([...CONFIG_ACCEPTABLE], [...ACCEPTABLE_VERSIONS]);
});

test('Accept lists one media type per version, comma-separated without spaces (central-services-shared refuses others)', () => {
  assert.equal(accept('quotes', ['1', '2']), 'application/vnd.interoperability.quotes+json;version=1,application/vnd.interoperability.quotes+json;version=2');
  const headers = fspiopHeaders({ resource: 'transfers', source: 'payerfsp', version: '2.0', accepted: ['2.0'] });
  assert.equal(headers['content-type'], 'application/vnd.interoperability.transfers+json;version=2.0');
  assert.equal(headers.accept, 'application/vnd.interoperability.transfers+json;version=2.0');
  assert.equal(fspiopHeaders({ resource: 'transfers', source: 'payerfsp', isCallback: true }).accept, undefined);
});

test('an Accept header is parsed into its versions, or refused when any item is not of the resource', () => {
  assert.deepEqual(parseAcceptHeader('parties', accept('parties', ['1', '2.0'])), ['1', '2.0']);
  assert.deepEqual(parseAcceptHeader('parties', 'application/vnd.interoperability.parties+json'), ['*']);
  assert.equal(parseAcceptHeader('parties', accept('quotes', ['1'])), undefined);
  assert.equal(parseAcceptHeader('parties', 'application/vnd.interoperability.parties+xml;version=3.0'), undefined);
  assert.equal(parseAcceptHeader('parties', undefined), undefined);
});

test('a version is accepted by its major, by itself, or by an item without a version', () => {
  assert.equal(isAccepted('1.1', ['1']), true);
  assert.equal(isAccepted('1.1', ['1.0']), false);
  assert.equal(isAccepted('2.0', ['1', '2.0']), true);
  assert.equal(isAccepted('2.0', ['*']), true);
  assert.equal(isAccepted('2.0', ['1']), false);
});
