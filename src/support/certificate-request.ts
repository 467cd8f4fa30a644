import { connect, isIP } from 'node:net';

/**
 * Whether a TLS server asks for a client certificate, seen in its own handshake messages. Node's
 * TLS client never reports the server's CertificateRequest, and in TLS 1.3 it is encrypted; in
 * TLS 1.2 it travels in clear between ServerHello and ServerHelloDone. So this offers TLS 1.2 only,
 * with the cipher suites and extensions a modern server expects, reads the server's first flight
 * and stops: no key exchange is ever completed.
 */
export interface CertificateRequestSeen {
  /** `requested`: a CertificateRequest came before ServerHelloDone; `not-requested`: ServerHelloDone without one; `unknown`: no TLS 1.2 flight to read. */
  outcome: 'requested' | 'not-requested' | 'unknown';
  detail: string;
}

const HANDSHAKE = 22;
const ALERT = 21;
const CERTIFICATE_REQUEST = 13;
const SERVER_HELLO_DONE = 14;
const MAX_FLIGHT_BYTES = 64 * 1024;

// ECDHE with AES-GCM and ChaCha20, then RSA key exchange with AES-GCM: what TLS 1.2 servers accept today.
const CIPHER_SUITES = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x009d];
// ECDSA, RSA-PSS and RSA PKCS#1 with SHA-256/384/512.
const SIGNATURE_ALGORITHMS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601];
// x25519, secp256r1, secp384r1.
const GROUPS = [0x001d, 0x0017, 0x0018];

export function certificateRequestSeen(host: string, port: number, serverName: string | undefined, timeoutMs: number): Promise<CertificateRequestSeen> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (seen: CertificateRequestSeen) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(seen);
    };
    const socket = connect({ host, port }, () => socket.write(clientHello(serverName ?? (isIP(host) ? undefined : host))));
    socket.setTimeout(timeoutMs, () => finish({ outcome: 'unknown', detail: `no TLS 1.2 answer within ${timeoutMs} ms` }));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const seen = readFlight(received);
      if (seen) finish(seen);
      else if (received.length > MAX_FLIGHT_BYTES) finish({ outcome: 'unknown', detail: 'the server\'s first flight did not end within 64 KiB' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ outcome: 'unknown', detail: `${error.code ?? 'error'}: ${error.message}` }));
    socket.on('close', () => finish({ outcome: 'unknown', detail: 'connection closed before the server\'s first flight ended' }));
  });
}

/** The verdict once the flight shows it; undefined while more is to come. */
function readFlight(data: Buffer): CertificateRequestSeen | undefined {
  const handshake: Buffer[] = [];
  let offset = 0;
  while (offset + 5 <= data.length) {
    const type = data[offset]!;
    const length = data.readUInt16BE(offset + 3);
    if (offset + 5 + length > data.length) break;
    const fragment = data.subarray(offset + 5, offset + 5 + length);
    if (type === ALERT) return { outcome: 'unknown', detail: `the server refused a TLS 1.2 handshake (alert ${fragment[1] ?? '?'})` };
    if (type !== HANDSHAKE) return { outcome: 'unknown', detail: `the server sent a record of type ${type}, not a TLS 1.2 handshake` };
    handshake.push(fragment);
    offset += 5 + length;
  }
  if (offset === 0 && data.length >= 5 && data[0] !== HANDSHAKE && data[0] !== ALERT) {
    return { outcome: 'unknown', detail: 'the server does not speak TLS' };
  }
  const messages = Buffer.concat(handshake);
  let at = 0;
  while (at + 4 <= messages.length) {
    const type = messages[at]!;
    const length = messages.readUIntBE(at + 1, 3);
    if (at + 4 + length > messages.length) return undefined;
    if (type === CERTIFICATE_REQUEST) return { outcome: 'requested', detail: 'the server sent a CertificateRequest in its TLS 1.2 handshake' };
    if (type === SERVER_HELLO_DONE) return { outcome: 'not-requested', detail: 'the server ended its TLS 1.2 flight (ServerHelloDone) without a CertificateRequest' };
    at += 4 + length;
  }
  return undefined;
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

function vector16(...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u16(body.length), body]);
}

function extension(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vector16(body)]);
}

function clientHello(serverName: string | undefined): Buffer {
  const name = serverName ? Buffer.from(serverName, 'ascii') : undefined;
  const extensions = Buffer.concat([
    ...(name ? [extension(0, vector16(Buffer.from([0]), vector16(name)))] : []),
    extension(10, vector16(...GROUPS.map(u16))),
    extension(11, Buffer.from([1, 0])),
    extension(13, vector16(...SIGNATURE_ALGORITHMS.map(u16))),
    extension(23, Buffer.alloc(0)),
    extension(0xff01, Buffer.from([0])),
  ]);
  const random = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 1) random[i] = Math.floor(Math.random() * 256);
  const body = Buffer.concat([
    u16(0x0303), random, Buffer.from([0]), vector16(...CIPHER_SUITES.map(u16)), Buffer.from([1, 0]), vector16(extensions),
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), Buffer.from([body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([HANDSHAKE, 3, 1]), u16(handshake.length), handshake]);
}
