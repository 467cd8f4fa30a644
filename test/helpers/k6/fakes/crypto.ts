import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';

function arrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function randomBytes(size: number): ArrayBuffer {
  return arrayBuffer(nodeRandomBytes(size));
}

const ENCODINGS: Record<string, 'hex' | 'base64' | 'base64url'> = { hex: 'hex', base64: 'base64', base64rawurl: 'base64url' };

export function sha256(input: string | ArrayBuffer, outputEncoding: string): string {
  const encoding = ENCODINGS[outputEncoding];
  if (!encoding) throw new Error(`fake k6/crypto: output encoding ${outputEncoding} not supported`);
  return createHash('sha256').update(typeof input === 'string' ? Buffer.from(input) : Buffer.from(input)).digest(encoding);
}

export default { randomBytes, sha256 };
