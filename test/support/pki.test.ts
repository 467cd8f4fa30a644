import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { test } from 'node:test';
import { CertificateAuthority } from '../../src/support/pki.ts';

test('a server certificate the CA issued is trusted for its names and verifies against the CA', async () => {
  const ca = await CertificateAuthority.create();
  const server = await ca.issue('hub', { serverNames: ['localhost', '127.0.0.1'] });
  const certificate = new X509Certificate(server.certPem);
  assert.ok(certificate.verify(new X509Certificate(ca.certPem).publicKey));
  assert.equal(certificate.checkHost('localhost'), 'localhost');
  assert.equal(certificate.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(certificate.checkHost('example.org'), undefined);
  assert.equal(new X509Certificate(ca.certPem).ca, true);
});

test('mutual TLS with issued certificates: the client certificate is accepted, a handshake without one refused', async () => {
  const ca = await CertificateAuthority.create();
  const serverCert = await ca.issue('hub', { serverNames: ['127.0.0.1'] });
  const clientCert = await ca.issue('payerfsp', { client: true });
  const tlsServer = createServer({ key: serverCert.keyPem, cert: serverCert.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (socket) => {
    socket.end(`hello ${(socket.getPeerCertificate() as { subject?: { CN?: string } }).subject?.CN}`);
  });
  tlsServer.on('tlsClientError', () => {});
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  const port = (tlsServer.address() as { port: number }).port;
  try {
    const withCert = connect({ host: '127.0.0.1', port, ca: ca.certPem, key: clientCert.keyPem, cert: clientCert.certPem });
    let text = '';
    withCert.on('data', (chunk) => { text += chunk; });
    await once(withCert, 'end');
    assert.equal(text, 'hello payerfsp');

    const without: TLSSocket = connect({ host: '127.0.0.1', port, ca: ca.certPem });
    const [error] = await Promise.race([once(without, 'error'), once(without, 'end').then(() => [new Error('closed')])]) as [Error];
    assert.ok(error, 'the handshake without a client certificate must fail');
    without.destroy();
  } finally {
    tlsServer.close();
  }
});

test('an expired certificate is issued when asked for, and one with no use is refused with its name', async () => {
  const ca = await CertificateAuthority.create();
  const expired = await ca.issue('old', { serverNames: ['localhost'], notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
  assert.equal(new X509Certificate(expired.certPem).validTo, 'Jan  1 00:00:00 2021 GMT');
  await assert.rejects(ca.issue('nothing', {}), /nothing needs serverNames, client, or both/);
});
