export function b64decode(input: string, variant: 'std' | 'rawstd' | 'url' | 'rawurl' = 'std'): ArrayBuffer {
  const url = variant === 'url' || variant === 'rawurl';
  if (!(url ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/).test(input)) throw new Error(`illegal base64 data: ${input}`);
  const bytes = Buffer.from(input, url ? 'base64url' : 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function b64encode(input: string | ArrayBuffer, variant: 'std' | 'rawstd' | 'url' | 'rawurl' = 'std'): string {
  const bytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
  const text = bytes.toString(variant === 'url' || variant === 'rawurl' ? 'base64url' : 'base64');
  return variant === 'rawstd' || variant === 'rawurl' ? text.replace(/=+$/, '') : text;
}

export default { b64decode, b64encode };
