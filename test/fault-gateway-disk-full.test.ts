import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../cloud/broker/embedded-broker.js';
import { Uplink } from '../edge/uplink/index.js';
import { freePort } from '../lib/ports.js';
import { Watcher } from './support/uplink-watch.js';

const TS0 = 1_764_288_000_000;

/** A real small file system: a 4 MiB tmpfs (needs root, as on the gateways' build hosts and CI). */
function mountTmpfs(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-diskfull-'));
const mounted = mountTmpfs(base);
if (!mounted) {
  if (process.env.CI === 'true') throw new Error('cannot mount a tmpfs for the disk-full test (needs root)');
  process.stderr.write('[skip] cannot mount a tmpfs here (needs root); the disk-full test is skipped\n');
}

describe.skipIf(!mounted)('a gateway whose disk fills up', () => {
  let broker: EmbeddedBroker;
  let watch: Watcher;
  let up: Uplink;
  const gatewayId = 'gw-disk-full';
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
    watch = await Watcher.open(broker.url, gatewayId);
  });
  afterAll(async () => {
    await up?.stop();
    await watch?.close();
    await broker?.close();
    execFileSync('umount', [base]);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it(
    'caps its queue by what fits, raises disk_full and degraded when it cannot write, and recovers by itself',
    { timeout: 60_000 },
    async () => {
      up = new Uplink({
        gatewayId,
        url: broker.url,
        dataDir: path.join(base, 'gw'),
        fw: 'test/1',
        batch: { maxReadings: 50, maxDelayMs: 20 },
        queue: { reserveBytes: 256 * 1024, bytesPerReading: 180, diskCheckMs: 200 },
      });
      up.start();
      await new Promise<void>((r) => up.once('connected', () => r()));
      // 4 MiB less the reserve holds ~21,000 readings, far below the default week of 32 sensors
      expect(up.stats().capacityReadings).toBeLessThan(25_000);
      expect(up.stats().capacityReadings).toBeGreaterThan(10_000);
      let t = 0;
      const poll = () => {
        const readings = Array.from({ length: 4 }, (_, i) => ({
          sensor: `s${i}`,
          metric: 'water_level',
          value: t,
          unit: 'cm',
          ts: TS0 + t * 1000,
        }));
        t++;
        try {
          up.publishReadings(readings);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 20; i++) expect(poll()).toBe(true);

      // something else fills the file system (a log, another process)
      const filler = path.join(base, 'filler');
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      fs.closeSync(fd);
      let refused = 0;
      for (let i = 0; i < 200 && refused < 5; i++) if (!poll()) refused++;
      expect(refused).toBe(5);
      expect(up.stats().degraded).toEqual(['disk_full']);
      await watch.until(
        () => watch.on('event').some((e) => e.payload.code === 'disk_full'),
        10_000,
        'the disk_full alarm',
      );
      await watch.until(
        () => watch.on('state').some((e) => e.payload.degraded?.includes('disk_full')),
        10_000,
        'degraded in the state',
      );

      fs.rmSync(filler);
      expect(poll()).toBe(true);
      expect(up.stats().degraded).toEqual([]);
      await watch.until(
        () => watch.on('event').some((e) => e.payload.code === 'disk_recovered'),
        10_000,
        'disk_recovered',
      );
      const rec = watch.on('event').find((e) => e.payload.code === 'disk_recovered')!;
      expect(rec.payload.data.lostReadings).toBeGreaterThanOrEqual(5 * 4);
      await watch.until(() => watch.on('state').at(-1)!.payload.degraded === undefined, 10_000, 'healthy state again');
    },
  );
});
