import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { POOL_IDLE_MS } from '../../src/fspiop/outbound.ts';
import { HttpServer, sendJson } from '../../src/support/http-server.ts';

/** One request over `agent`; resolves with the answer's headers and the socket it came on. */
function get(url: string, agent: Agent): Promise<{ headers: Record<string, string | string[] | undefined>; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ headers: response.headers, socket: outgoing.socket! }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('HttpServer connections', () => {
  it('keeps an idle connection longer than our own senders keep theirs, and says so', async () => {
    const server = new HttpServer(async (_request, response) => sendJson(response, 200, {}), () => ({}));
    const url = await server.start(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    try {
      const { headers } = await get(url, agent);
      // The sender should close an idle connection, not us: we would race its reuse. What the server
      // tells senders must outlast how long our own sender keeps an idle connection.
      const advertised = /^timeout=(\d+)$/.exec(String(headers['keep-alive']));
      assert.ok(advertised, `Keep-Alive: ${headers['keep-alive']}`);
      assert.ok(Number(advertised[1]) * 1000 > POOL_IDLE_MS, `the server keeps an idle connection ${advertised[1]} s, our sender ${POOL_IDLE_MS} ms`);
    } finally {
      agent.destroy();
      await server.stop();
    }
  });

  it('stop() closes idle kept-alive connections, so a sender\'s pooled socket sees the server go', async () => {
    const server = new HttpServer(async (_request, response) => sendJson(response, 200, {}), () => ({}));
    const url = await server.start(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    try {
      const { socket } = await get(url, agent);
      const closed = once(socket, 'close');
      // A pooled socket does not keep the process alive; this one must, until it sees the server go.
      socket.ref();
      await server.stop();
      await closed;
      assert.deepEqual(Object.values(agent.freeSockets).flat(), []);
    } finally {
      agent.destroy();
    }
  });
});
