import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dockerEndpoint, noEngineLine, pingEngine } from '../../../src/environment/compose/docker-engine.ts';
import { tempDir } from '../../helpers/cli.ts';

describe('finding the Docker engine, within a bound', () => {
  it('finds it where the docker CLI does: DOCKER_HOST, else the default socket', () => {
    assert.equal(dockerEndpoint({}).url, 'unix:///var/run/docker.sock');
    assert.deepEqual(dockerEndpoint({ DOCKER_HOST: 'unix:///tmp/d.sock' }).request, { socketPath: '/tmp/d.sock' });
    assert.deepEqual(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }).request, { host: '10.0.0.5', port: 2375 });
  });

  it('says an absent socket is absent', async () => {
    const endpoint = dockerEndpoint({ DOCKER_HOST: `unix://${join(await tempDir('engine'), 'docker.sock')}` });
    assert.deepEqual(await pingEngine(endpoint, 5000), { ok: false, reason: 'no such socket', absent: true });
    assert.match(noEngineLine(endpoint, 'no such socket'), /^no Docker engine at unix:\/\/.*docker\.sock \(no such socket\): .*install and start Docker.*--target embedded or --target url need no Docker$/);
  });

  it('gives up on an engine that accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const status = await pingEngine(dockerEndpoint({ DOCKER_HOST: `tcp://127.0.0.1:${(silent.address() as { port: number }).port}` }), 300);
      assert.deepEqual(status, { ok: false, reason: 'it accepted the connection but did not answer within 300 ms', absent: false });
      assert.equal(sockets.length, 1);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('reads the version of an engine that answers, and refuses what is not one', async () => {
    let body = JSON.stringify({ Version: '20.10.24', ApiVersion: '1.41' });
    const engine = createHttpServer((req, res) => { res.end(req.url === '/version' ? body : ''); });
    await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
    const endpoint = dockerEndpoint({ DOCKER_HOST: `tcp://127.0.0.1:${(engine.address() as { port: number }).port}` });
    try {
      assert.deepEqual(await pingEngine(endpoint, 5000), { ok: true, version: '20.10.24', apiVersion: '1.41' });
      body = '<html>a web server</html>';
      assert.deepEqual(await pingEngine(endpoint, 5000), { ok: false, reason: 'what answered there is not a Docker engine (no JSON version)', absent: false });
    } finally {
      engine.close();
    }
  });
});
