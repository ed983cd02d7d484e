// A small Ogg demuxer (RFC 3533): reads pages from a byte source in blocks, checks their CRC, and yields the
// packets of the first logical stream with the granule position of the page each packet ends on.
import { VoiceVaultError } from '../../shared/errors';
import type { ByteSource } from './byte-source';

export interface OggPacket {
  data: Uint8Array;
  /** Granule position of the page on which this packet ends (−1 when the page has none). */
  granule: bigint;
  /** True for packets on the stream's last (end-of-stream) page. */
  endOfStream: boolean;
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ crcTable[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return crc;
}

const readBlock = 1 << 16;
const maxPacketBytes = 16 << 20;

function corrupt(message: string): VoiceVaultError {
  return new VoiceVaultError('CorruptAudio', message);
}

/** Yields the packets of the first logical bitstream. Pages of other streams (e.g. a video track) are skipped. */
export async function* oggPackets(source: ByteSource): AsyncGenerator<OggPacket> {
  let buffer = new Uint8Array(0);
  let fileOffset = 0;
  let serial: number | undefined;
  let partial: Uint8Array[] = [];
  let partialBytes = 0;
  let pagesSeen = 0;

  const fill = async (needed: number): Promise<boolean> => {
    while (buffer.length < needed) {
      const more = await source.read(fileOffset, Math.max(readBlock, needed - buffer.length));
      if (more.length === 0) return false;
      fileOffset += more.length;
      const joined = new Uint8Array(buffer.length + more.length);
      joined.set(buffer);
      joined.set(more, buffer.length);
      buffer = joined;
    }
    return true;
  };

  for (;;) {
    if (!(await fill(27))) {
      if (buffer.length > 0 && pagesSeen > 0) throw corrupt('the Ogg stream ends in the middle of a page (truncated file?)');
      break;
    }
    if (buffer[0] !== 0x4f || buffer[1] !== 0x67 || buffer[2] !== 0x67 || buffer[3] !== 0x53) {
      throw corrupt(pagesSeen === 0 ? 'not an Ogg stream' : 'lost Ogg page sync (corrupt or truncated data)');
    }
    if (buffer[4] !== 0) throw corrupt(`unknown Ogg version ${buffer[4]}`);
    const segments = buffer[26]!;
    if (!(await fill(27 + segments))) throw corrupt('the Ogg stream ends in a page header (truncated file?)');
    let bodyBytes = 0;
    for (let i = 0; i < segments; i++) bodyBytes += buffer[27 + i]!;
    const pageBytes = 27 + segments + bodyBytes;
    if (!(await fill(pageBytes))) throw corrupt('the Ogg stream ends in the middle of a page (truncated file?)');
    const page = buffer.subarray(0, pageBytes);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    const storedCrc = view.getUint32(22, true);
    const forCrc = page.slice();
    forCrc.fill(0, 22, 26);
    if (oggCrc(forCrc) !== storedCrc) throw corrupt('an Ogg page fails its checksum (corrupt data)');
    const headerType = page[5]!;
    const granule = view.getBigInt64(6, true);
    const pageSerial = view.getUint32(14, true);
    pagesSeen++;
    serial ??= pageSerial;
    if (pageSerial === serial) {
      const continued = (headerType & 0x01) !== 0;
      const lastPage = (headerType & 0x04) !== 0;
      if (!continued && partialBytes > 0) {
        // A packet left open by the previous page was never finished: drop it, as decoders do.
        partial = [];
        partialBytes = 0;
      }
      let at = 27 + segments;
      const completed: Uint8Array[] = [];
      for (let i = 0; i < segments; i++) {
        const lacing = page[27 + i]!;
        partial.push(page.slice(at, at + lacing));
        partialBytes += lacing;
        if (partialBytes > maxPacketBytes) throw corrupt('an Ogg packet is implausibly large');
        at += lacing;
        if (lacing < 255) {
          const packet = new Uint8Array(partialBytes);
          let offset = 0;
          for (const piece of partial) {
            packet.set(piece, offset);
            offset += piece.length;
          }
          completed.push(packet);
          partial = [];
          partialBytes = 0;
        }
      }
      for (let i = 0; i < completed.length; i++) {
        yield { data: completed[i]!, granule, endOfStream: lastPage };
      }
      if (lastPage) return;
    }
    buffer = buffer.subarray(pageBytes);
  }
  if (pagesSeen === 0) throw corrupt('the Ogg stream has no pages');
}
