import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { sendFspiop } from '../../src/fspiop/outbound.ts';
import { closeServer, listen } from '../helpers/servers.ts';

describe('sendFspiop', () => {
  it('sends once more on a fresh connection when the hub closed the connection before any answer, and says so', async () => {
    let requests = 0;
    const hub = createServer((request, response) => {
      requests += 1;
      request.resume();
      // The first request dies with its connection, as a hub dropping a kept-alive socket does.
      if (requests === 1) request.socket.destroy();
      else response.writeHead(202).end();
    });
    const url = await listen(hub);
    try {
      const result = await sendFspiop({ method: 'POST', url: `${url}/transfers`, resource: 'transfers', source: 'payerfsp', body: { a: 1 }, timeoutMs: 10_000 });
      assert.equal(result.status, 202);
      assert.equal(requests, 2);
      assert.match(result.resent!, /^the connection was closed before any answer \(ECONNRESET\); sent again on a fresh connection$/);
    } finally {
      await closeServer(hub);
    }
  });

  it('fails when the fresh connection is closed too: a second failure is the hub\'s', async () => {
    let requests = 0;
    const hub = createServer((request) => {
      requests += 1;
      request.socket.destroy();
    });
    const url = await listen(hub);
    try {
      await assert.rejects(sendFspiop({ method: 'GET', url: `${url}/parties/MSISDN/1`, resource: 'parties', source: 'payerfsp', timeoutMs: 10_000 }), { name: 'OutboundError', code: 'ECONNRESET' });
      assert.equal(requests, 2);
    } finally {
      await closeServer(hub);
    }
  });

  it('does not resend an answered request, whatever its status', async () => {
    let requests = 0;
    const hub = createServer((request, response) => {
      requests += 1;
      request.resume();
      response.writeHead(500).end('{}');
    });
    const url = await listen(hub);
    try {
      const result = await sendFspiop({ method: 'GET', url: `${url}/parties/MSISDN/1`, resource: 'parties', source: 'payerfsp', timeoutMs: 10_000 });
      assert.equal(result.status, 500);
      assert.equal(result.resent, undefined);
      assert.equal(requests, 1);
    } finally {
      await closeServer(hub);
    }
  });
});
