import fs from 'node:fs';

/** Free space of the file system holding a directory (fs.statfsSync, injectable for tests). */
export type StatFs = (dir: string) => { bavail: number; bsize: number };

export const realStatFs: StatFs = (dir) => {
  const s = fs.statfsSync(dir);
  return { bavail: Number(s.bavail), bsize: Number(s.bsize) };
};

/** Never size the queue below this many readings, however full the disk: a few minutes of a site. */
export const MIN_CAPACITY_READINGS = 500;

export interface FitInput {
  /** queue.capacityReadings: the configured bound */
  configured: number;
  /** bytes free for an unprivileged process (statfs bavail × bsize) */
  freeBytes: number;
  /** bytes the queue's files already use (they are reused as it drains) */
  queueBytes: number;
  /** bytes always left free for the rest of the gateway (logs, its own state) */
  reserveBytes: number;
  /** bytes one queued reading takes on disk (JSON in SQLite, WAL included) */
  bytesPerReading: number;
}

/** The queue capacity in readings that fits on the disk, capped by the configured one. */
export function fittingCapacity(i: FitInput): number {
  const usable = i.queueBytes + i.freeBytes - i.reserveBytes;
  const fits = Math.floor(usable / Math.max(1, i.bytesPerReading));
  return Math.max(MIN_CAPACITY_READINGS, Math.min(i.configured, fits));
}
