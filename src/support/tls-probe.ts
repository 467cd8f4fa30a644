import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';

/** A TLS alert, or the HTTP answer some proxies (nginx `ssl_verify_client on`) give instead, demanding a client certificate. */
const CLIENT_CERTIFICATE_DEMANDED = /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|No required SSL certificate|SSL certificate error/i;

/** Connects without verifying the certificate, so what is wrong with it can be reported rather than only refused. */
function connectTls(url: URL, timeoutMs: number, onSecure: (socket: TLSSocket) => void): TLSSocket {
  const socket = connect({
    host: url.hostname, port: Number(url.port || 443), rejectUnauthorized: false,
    ...(isIP(url.hostname) ? {} : { servername: url.hostname }),
  }, () => onSecure(socket));
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  return socket;
}

export interface TlsHandshake {
  /** 'TLSv1.3', …; undefined when the handshake failed. */
  protocol?: string;
  trusted: boolean;
  /** Why the certificate is not trusted, or why the handshake failed. */
  problem?: string;
}

/** One TLS handshake with the endpoint of `url`, without a client certificate. */
export function tlsHandshake(url: URL, timeoutMs: number): Promise<TlsHandshake> {
  return new Promise((resolve) => {
    const socket = connectTls(url, timeoutMs, (connected) => {
      resolve({
        protocol: connected.getProtocol() ?? 'unknown', trusted: connected.authorized,
        ...(connected.authorizationError ? { problem: String(connected.authorizationError) } : {}),
      });
      connected.end();
    });
    socket.on('error', (error) => resolve({ trusted: false, problem: `handshake failed: ${error.message}` }));
  });
}

export interface ClientCertificateDemand {
  /** `demanded`: a TLS alert (or nginx's 400) asked for a certificate; `answered`: served without one; `unclear`: reset or closed. */
  outcome: 'demanded' | 'answered' | 'unclear';
  detail: string;
}

/**
 * Asks for `/health` over TLS without a client certificate. Only a refusal naming the missing
 * certificate proves mutual TLS; an HTTP answer disproves it; a bare reset or close says nothing.
 */
export function probeClientCertificateDemand(url: URL, timeoutMs: number): Promise<ClientCertificateDemand> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connectTls(url, timeoutMs, (connected) => {
      connected.write(`GET /health HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.length > 4096) socket.destroy();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (answer) return;
      const alert = CLIENT_CERTIFICATE_DEMANDED.test(`${error.code ?? ''} ${error.message}`);
      resolve({ outcome: alert ? 'demanded' : 'unclear', detail: `${error.code ?? 'error'}: ${error.message}` });
    });
    socket.once('close', () => {
      if (!answer) return resolve({ outcome: 'unclear', detail: 'connection closed without a TLS alert' });
      const statusLine = answer.split('\r\n')[0];
      // nginx answers a missing client certificate with HTTP 400 and says so in the body.
      const refusal = CLIENT_CERTIFICATE_DEMANDED.exec(answer);
      resolve(refusal
        ? { outcome: 'demanded', detail: `handshake completed, then refused: ${statusLine} (${refusal[0]})` }
        : { outcome: 'answered', detail: `handshake completed and the hub answered: ${statusLine}` });
    });
  });
}
