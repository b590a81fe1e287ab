// A minimal streaming ZIP writer (deflate, data descriptors, UTF-8 names) with a fixed timestamp,
// so the same content always yields the same bytes. Archives past 4 GiB (ZIP64) are refused.
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, crc32, createDeflateRaw } from 'node:zlib';

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const FLAGS = 0x0008 | 0x0800; // sizes in a data descriptor; names are UTF-8
const DEFLATE = 8;
const LIMIT = 0xffff_ffff;

interface Entry {
  readonly name: Buffer;
  readonly offset: number;
  readonly crc: number;
  readonly size: number;
  readonly compressed: number;
}

export class ZipWriter {
  readonly #file: FileHandle;
  readonly #entries: Entry[] = [];
  #offset = 0;

  constructor(file: FileHandle) {
    this.#file = file;
  }

  async #write(buf: Buffer): Promise<void> {
    await this.#file.write(buf);
    this.#offset += buf.length;
    if (this.#offset > LIMIT) throw new Error('zip archive exceeds 4 GiB; ZIP64 is not supported');
  }

  /** Adds one file whose content is the concatenation of `chunks` (UTF-8). */
  async add(name: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
    const nameBuf = Buffer.from(name, 'utf8');
    const offset = this.#offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt16LE(nameBuf.length, 26);
    await this.#write(Buffer.concat([local, nameBuf]));

    let crc = 0;
    let size = 0;
    let compressed = 0;
    async function* encode() {
      for await (const text of chunks) {
        const buf = Buffer.from(text, 'utf8');
        crc = crc32(buf, crc);
        size += buf.length;
        yield buf;
      }
    }
    await pipeline(Readable.from(encode()), createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION }), async (deflated: AsyncIterable<Buffer>) => {
      for await (const out of deflated) {
        compressed += out.length;
        await this.#write(out);
      }
    });
    if (size > LIMIT) throw new Error(`zip entry ${name} exceeds 4 GiB`);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.#write(descriptor);
    this.#entries.push({ name: nameBuf, offset, crc: crc >>> 0, size, compressed });
  }

  /** Writes the central directory. The file handle stays open (the caller closes it). */
  async close(): Promise<void> {
    const start = this.#offset;
    for (const e of this.#entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(FLAGS, 8);
      h.writeUInt16LE(DEFLATE, 10);
      h.writeUInt16LE(DOS_TIME, 12);
      h.writeUInt16LE(DOS_DATE, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      await this.#write(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.#entries.length, 8);
    end.writeUInt16LE(this.#entries.length, 10);
    end.writeUInt32LE(this.#offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.#write(end);
  }
}
