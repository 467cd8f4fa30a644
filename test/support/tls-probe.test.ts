import assert from 'node:assert/strict';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { certificateRequestSeen } from '../../src/support/certificate-request.ts';
import { CertificateAuthority, type IssuedCertificate } from '../../src/support/pki.ts';
import { plaintextAttempt, tlsHandshake } from '../../src/support/tls-probe.ts';
import { closeServer, listen } from '../helpers/servers.ts';

describe('TLS probing building blocks', () => {
  const servers: Server[] = [];
  // A TLS server may keep a connection a probe left half-way (plaintext, a ClientHello and no more): closing must not wait on it.
  const sockets = new Set<Socket>();
  let certificate: IssuedCertificate;
  before(async () => {
    certificate = await (await CertificateAuthority.create()).issue('hub', { serverNames: ['127.0.0.1'] });
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) await closeServer(server);
  });
  const portOf = async (server: Server) => {
    servers.push(server);
    server.on('connection', (socket: Socket) => sockets.add(socket));
    return Number(new URL(await listen(server)).port);
  };
  const tlsPort = (options: object = {}) => {
    const server = createTlsServer({ key: certificate.keyPem, cert: certificate.certPem, ...options }, (socket) => socket.end());
    server.on('tlsClientError', () => undefined);
    return portOf(server);
  };

  it('OpenSSL 3 at its default security level cannot even offer TLS 1.0 or 1.1: the weak-version check lowers it, and says so where it still cannot', async () => {
    const url = new URL(`https://127.0.0.1:${await tlsPort({ minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' })}`);
    const atDefault = await tlsHandshake(url, 2000, { minVersion: 'TLSv1', maxVersion: 'TLSv1' });
    assert.equal(atDefault.code, 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', `OpenSSL ${process.versions.openssl}`);
    const lowered = await tlsHandshake(url, 2000, { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    assert.equal(lowered.protocol, 'TLSv1');
  });

  it('reads the server\'s certificate request, or its absence, from a TLS 1.2 handshake, and nothing from a server that does not speak TLS', async () => {
    assert.equal((await certificateRequestSeen('127.0.0.1', await tlsPort({ requestCert: true }), undefined, 2000)).outcome, 'requested');
    assert.equal((await certificateRequestSeen('127.0.0.1', await tlsPort(), 'hub.example', 2000)).outcome, 'not-requested');
    const plain = await portOf(createNetServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    assert.deepEqual(await certificateRequestSeen('127.0.0.1', plain, undefined, 2000), { outcome: 'unknown', detail: 'the server does not speak TLS' });
  });

  it('tells a plaintext refusal (TLS alert, close, nothing listening) from plaintext served, naming what came back', async () => {
    const alerting = await tlsPort();
    assert.equal((await plaintextAttempt('127.0.0.1', alerting, '/', 2000)).outcome, 'refused');
    const served = await portOf(createNetServer((socket) => socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n')));
    assert.deepEqual(await plaintextAttempt('127.0.0.1', served, '/', 2000), { outcome: 'served', detail: 'HTTP/1.1 404 Not Found' });
    const nginx = await portOf(createNetServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n<center>The plain HTTP request was sent to HTTPS port</center>')));
    assert.equal((await plaintextAttempt('127.0.0.1', nginx, '/', 2000)).outcome, 'refused');
    const redirectElsewhere = await portOf(createNetServer((socket) => socket.end('HTTP/1.1 301 Moved\r\nLocation: http://other.example/\r\n\r\n')));
    assert.equal((await plaintextAttempt('127.0.0.1', redirectElsewhere, '/', 2000)).outcome, 'served', 'a redirect to plaintext keeps plaintext');
  });
});
