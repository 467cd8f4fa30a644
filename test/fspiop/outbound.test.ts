import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendFspiop, type OutboundResult } from '../../src/fspiop/outbound.ts';
import { HttpServer, sendJson } from '../../src/support/http-server.ts';
import { closeServer, listen } from '../helpers/servers.ts';

/**
 * A bare HTTP/1.1 peer that answers every request 200 (keeping the connection alive) until frozen;
 * frozen, it keeps its connections open and answers nothing — a process that hung, or one gone
 * behind a port-forward, proxy or NAT that keeps our side of the connection open.
 */
function freezablePeer(): { server: TcpServer; connections: Set<Socket>; freeze: () => void } {
  const connections = new Set<Socket>();
  let frozen = false;
  const server = createTcpServer((socket) => {
    connections.add(socket);
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      if (frozen) return;
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(pending.slice(0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.slice(end + 4 + length);
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
      }
    });
  });
  return { server, connections, freeze: () => { frozen = true; } };
}

/** How each delivery ended: its status, or the code it failed with. */
function tally(outcomes: PromiseSettledResult<OutboundResult>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcome.status === 'fulfilled' ? String(outcome.value.status) : String((outcome.reason as { code?: string }).code ?? outcome.reason);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const callback = (port: number, id: number) => sendFspiop({
  method: 'PUT', url: `http://127.0.0.1:${port}/transfers/${id}`, resource: 'transfers', source: 'switch', destination: 'payerfsp',
  body: { transferState: 'COMMITTED' }, timeoutMs: 20_000,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

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

  it('does not resend a request whose answer had begun when the connection broke', async () => {
    let requests = 0;
    const hub = createServer((request, response) => {
      requests += 1;
      request.resume();
      response.writeHead(202, { 'content-length': 100 });
      // Part of the answer is on its way before the connection is cut.
      response.write('{"par', () => request.socket.destroy());
    });
    const url = await listen(hub);
    try {
      await assert.rejects(sendFspiop({ method: 'POST', url: `${url}/transfers`, resource: 'transfers', source: 'payerfsp', body: { a: 1 }, timeoutMs: 20_000 }), { name: 'OutboundError' });
      assert.equal(requests, 1);
    } finally {
      await closeServer(hub);
    }
  });

  it('delivers every callback to a peer restarted on the same port whose old connections stay open and silent, none waiting out its timeout', async () => {
    const old = freezablePeer();
    const port = Number(new URL(await listen(old.server)).port);
    const restarted = new HttpServer(async (request, response) => {
      request.resume();
      sendJson(response, 200);
      received.push(request.url ?? '');
    }, () => ({}));
    const received: string[] = [];
    try {
      // Ten callbacks at once: ten kept-alive connections in the pool.
      assert.deepEqual(tally(await Promise.allSettled(range(10).map((i) => callback(port, i)))), { 200: 10 });
      // The peer goes silent without closing anything, and a new one listens on its port.
      old.freeze();
      old.server.close();
      await restarted.start(port, '127.0.0.1');

      const outcomes = await Promise.allSettled(range(10).map((i) => callback(port, 100 + i)));
      assert.deepEqual(tally(outcomes), { 200: 10 }, 'every callback reaches the restarted peer; none times out on a dead pooled connection');
      assert.equal(received.length, 10);
      // Each of the ten went out on one of the ten silent pooled connections first, and says so.
      for (const outcome of outcomes) {
        assert.equal(outcome.status, 'fulfilled');
        assert.match(outcome.value.resent ?? 'not resent', /^the kept-alive connection gave no answer within 2000 ms .*; sent again on a fresh connection$/);
      }
      // The silent connections are gone from the pool: what follows goes straight through.
      const later = await Promise.allSettled(range(10).map((i) => callback(port, 200 + i)));
      assert.deepEqual(tally(later), { 200: 10 });
      assert.deepEqual(later.filter((o) => o.status === 'fulfilled' && o.value.resent), []);
      assert.equal(received.length, 20);
    } finally {
      for (const socket of old.connections) socket.destroy();
      await restarted.stop();
    }
  });

  it('delivers every callback to a peer restarted on the same port after it closed its connections', async () => {
    const received: string[] = [];
    const serve = () => new HttpServer(async (request, response) => {
      request.resume();
      sendJson(response, 200);
      received.push(request.url ?? '');
    }, () => ({}));
    const first = serve();
    const port = Number(new URL(await first.start(0, '127.0.0.1')).port);
    const second = serve();
    try {
      assert.deepEqual(tally(await Promise.allSettled(range(10).map((i) => callback(port, i)))), { 200: 10 });
      // Stopped and started again at once, before this process has read that the old connections closed.
      await first.stop();
      await second.start(port, '127.0.0.1');
      assert.deepEqual(tally(await Promise.allSettled(range(10).map((i) => callback(port, 100 + i)))), { 200: 10 });
      assert.equal(received.length, 20);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('closes an idle pooled connection itself, before the server\'s keep-alive timeout would', async () => {
    const hub = createServer((request, response) => {
      request.resume();
      response.writeHead(202).end();
    });
    // The server would keep the idle connection a minute: whoever closes it within the test is the sender.
    hub.keepAliveTimeout = 60_000;
    const connections: Socket[] = [];
    hub.on('connection', (socket: Socket) => connections.push(socket));
    const url = await listen(hub);
    try {
      const result = await sendFspiop({ method: 'POST', url: `${url}/transfers`, resource: 'transfers', source: 'payerfsp', body: { a: 1 }, timeoutMs: 10_000 });
      assert.equal(result.status, 202);
      assert.equal(connections.length, 1);
      // The sender closes first (the server sees the end of its input), then the connection goes.
      // A generous bound: ten times the pool's idle limit, a third of the server's keep-alive.
      const closed = once(connections[0]!, 'close');
      const ended = await Promise.race([once(connections[0]!, 'end').then(() => true), sleep(20_000, false, { ref: false })]);
      assert.equal(ended, true, 'the idle pooled connection was left open');
      await closed;
    } finally {
      await closeServer(hub);
    }
  });

  it('sends a request to a hub once, however slowly it acknowledges on a reused connection, when silent-peer detection is off', async () => {
    let requests = 0;
    const hub = createServer((request, response) => {
      requests += 1;
      request.resume();
      // The first request opens the pooled connection; the second, on it, is acknowledged only after 3 s.
      setTimeout(() => response.writeHead(202).end(), requests === 1 ? 0 : 3000);
    });
    const url = await listen(hub);
    try {
      const send = () => sendFspiop({ method: 'POST', url: `${url}/quotes`, resource: 'quotes', source: 'payerfsp', body: { a: 1 }, timeoutMs: 10_000, detectSilentPeer: false });
      await send();
      const slow = await send();
      assert.equal(slow.status, 202);
      assert.equal(slow.resent, undefined);
      assert.equal(requests, 2, 'no resend: a slow acknowledgement is measured as slow');
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

describe('sendFspiop against an answer that never ends', () => {
  it('aborts the request once the answer passes its cap, naming the request and the cap, instead of keeping it all', async () => {
    let closed: Promise<unknown> | undefined;
    let written = 0;
    // 202, then a body that goes on for as long as anyone reads it.
    const hub = createServer((request, response) => {
      request.resume();
      closed = once(response, 'close');
      response.writeHead(202, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16_384, 'x');
      const more = () => {
        while (!response.destroyed && response.write(chunk)) written += chunk.length;
        if (!response.destroyed) response.once('drain', more);
      };
      more();
    });
    const url = await listen(hub);
    try {
      const started = Date.now();
      await assert.rejects(sendFspiop({ method: 'POST', url: `${url}/transfers?apikey=secret`, resource: 'transfers', source: 'payerfsp', body: { a: 1 }, timeoutMs: 20_000, maxResponseBytes: 100_000 }), {
        name: 'OutboundError', code: 'RESPONSE_TOO_LARGE',
        message: `response to POST /transfers from ${new URL(url).host} exceeded 100000 bytes; the request was aborted (an FSPIOP answer is an acknowledgement of a few hundred bytes)`,
      });
      assert.ok(Date.now() - started < 5000, 'stopped at the cap, not at the timeout');
      await closed;
      assert.ok(written < 10_000_000, `the connection was closed after ${written} bytes`);
    } finally {
      await closeServer(hub);
    }
  });

  it('refuses an answer whose declared length is over the cap without reading it', async () => {
    const hub = createServer((request, response) => {
      request.resume();
      response.writeHead(202, { 'content-length': 1_000_000 });
      response.write('{');
    });
    const url = await listen(hub);
    try {
      await assert.rejects(sendFspiop({ method: 'GET', url: `${url}/parties/MSISDN/1`, resource: 'parties', source: 'payerfsp', timeoutMs: 20_000 }),
        { code: 'RESPONSE_TOO_LARGE', message: /^response to GET \/parties\/MSISDN\/1 from .* exceeded 65536 bytes/ });
    } finally {
      await closeServer(hub);
    }
  });
});
