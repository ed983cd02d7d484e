// JSON cannot carry ArrayBuffers, and the contract sends PCM chunks and imported files as
// ArrayBuffers. On the loopback bridge each one travels as a tagged object, { $arrayBuffer: base64 },
// and is turned back into an ArrayBuffer before the contract's schema sees it. Runs in the page (the
// shim) and in Node (the server).
const tag = '$arrayBuffer';

function toBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  // String.fromCharCode takes arguments: chunk so large files do not overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): ArrayBuffer {
  if (typeof Buffer !== 'undefined') {
    const buffer = Buffer.from(text, 'base64');
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

export function encodeWire(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { [tag]: toBase64(new Uint8Array(value)) };
  if (Array.isArray(value)) return value.map(encodeWire);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, encodeWire(field)]));
  return value;
}

export function decodeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWire);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === tag && typeof entries[0]![1] === 'string') return fromBase64(entries[0]![1]);
    return Object.fromEntries(entries.map(([key, field]) => [key, decodeWire(field)]));
  }
  return value;
}
