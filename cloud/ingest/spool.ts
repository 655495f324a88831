import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { RuongSoError } from '../../lib/errors.js';
import { spoolBatches, spoolBytes, spoolFull } from '../metrics.js';
import type { StoredReading } from '../telemetry/store.js';

export class SpoolError extends RuongSoError<'SPOOL_FULL' | 'SPOOL_IO'> {}

interface Entry {
  name: string;
  bytes: number;
}

/**
 * Bounded on-disk FIFO of telemetry batches for while the store is down. One file per batch,
 * written to a temp name, fsynced, then renamed: a crash leaves whole batches or nothing.
 * Full means full: append throws SPOOL_FULL and the caller stops acknowledging (the broker
 * keeps the messages) — nothing is dropped here.
 */
export class DiskSpool {
  private entries: Entry[] = [];
  private bytes = 0;
  private nextSeq = 1;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Rebuilds the index from the directory (batches spooled before a restart are replayed). */
  async open(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    const names = (await fsp.readdir(this.dir)).sort();
    for (const name of names) {
      const full = path.join(this.dir, name);
      if (name.endsWith('.tmp')) {
        await fsp.rm(full, { force: true });
        continue;
      }
      if (!/^\d{16}\.json$/.test(name)) continue;
      const { size } = await fsp.stat(full);
      this.entries.push({ name, bytes: size });
      this.bytes += size;
      this.nextSeq = Math.max(this.nextSeq, Number(name.slice(0, 16)) + 1);
    }
    this.report();
  }

  get size(): { batches: number; bytes: number; maxBytes: number } {
    return { batches: this.entries.length, bytes: this.bytes, maxBytes: this.maxBytes };
  }

  isEmpty(): boolean {
    return this.entries.length === 0;
  }

  async append(points: StoredReading[]): Promise<void> {
    const body = Buffer.from(JSON.stringify(points));
    if (this.bytes + body.length > this.maxBytes) {
      spoolFull.set(1);
      throw new SpoolError(
        'SPOOL_FULL',
        `telemetry spool in ${this.dir} is full (${this.bytes} of ${this.maxBytes} bytes): raise SPOOL_MAX_MB or bring the telemetry store back`,
      );
    }
    const name = `${String(this.nextSeq++).padStart(16, '0')}.json`;
    const tmp = path.join(this.dir, `${name}.tmp`);
    try {
      const fh = await fsp.open(tmp, 'w');
      try {
        await fh.writeFile(body);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, path.join(this.dir, name));
      syncDir(this.dir);
    } catch (cause) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw new SpoolError('SPOOL_IO', `cannot write the telemetry spool in ${this.dir}: ${(cause as Error).message}`, {
        cause,
      });
    }
    this.entries.push({ name, bytes: body.length });
    this.bytes += body.length;
    this.report();
  }

  /** The oldest batch, without removing it (remove it with shift() once it is stored). */
  async peek(): Promise<StoredReading[] | undefined> {
    const first = this.entries[0];
    if (!first) return undefined;
    return JSON.parse(await fsp.readFile(path.join(this.dir, first.name), 'utf8')) as StoredReading[];
  }

  async shift(): Promise<void> {
    const first = this.entries.shift();
    if (!first) return;
    this.bytes -= first.bytes;
    await fsp.rm(path.join(this.dir, first.name), { force: true });
    this.report();
  }

  private report(): void {
    spoolBytes.set(this.bytes);
    spoolBatches.set(this.entries.length);
    if (this.bytes < this.maxBytes * 0.95) spoolFull.set(0);
  }
}

function syncDir(dir: string): void {
  // the rename is durable only once the directory entry is on disk
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // some filesystems refuse fsync on a directory; the file itself is synced
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
