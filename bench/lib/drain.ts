import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Reading, Telemetry } from '../../protocol/index.js';
import { days as daysMs, minutes } from '../../lib/time.js';
import { DiskQueue } from '../../edge/uplink/disk-queue.js';
import { Uplink } from '../../edge/uplink/uplink.js';

export interface DrainBenchOptions {
  url: string;
  username?: string;
  password?: string;
  /** default: a random `bench-…` id (must match the credentials when the broker has an ACL) */
  gatewayId?: string;
  /** default: a temp dir, removed afterwards */
  dataDir?: string;
  sensors?: number;
  days?: number;
  readingsPerMessage?: number;
  /** backlog messages/s cap; default uncapped */
  drainPerSecond?: number;
  maxInflight?: number;
  timeoutMs?: number;
  /**
   * wait for an ingest host's online state before sending (the gateway's default); false by
   * default here: this measures the uplink and the broker, with or without a cloud behind them
   */
  requireHost?: boolean;
}

export interface DrainBenchResult {
  readings: number;
  messages: number;
  /** bytes the backlog took on disk */
  diskBytes: number;
  fillMs: number;
  drainMs: number;
  drainReadingsPerSec: number;
  drainMessagesPerSec: number;
}

/**
 * Fills an uplink queue with a backlog (default: 7 days of 32 sensors, one reading per sensor
 * per minute, as an outage would leave it) and measures how fast an Uplink drains it to the
 * broker: from connect until every message is PUBACKed and deleted.
 */
export async function benchmarkDrain(opts: DrainBenchOptions): Promise<DrainBenchResult> {
  const sensors = opts.sensors ?? 32;
  const perMessage = opts.readingsPerMessage ?? 500;
  const total = Math.round((opts.days ?? 7) * (daysMs(1) / minutes(1))) * sensors;
  const gatewayId = opts.gatewayId ?? `bench-${randomBytes(4).toString('hex')}`;
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-bench-'));
  try {
    const fillStart = performance.now();
    const queue = new DiskQueue(dataDir, { capacityReadings: total + 1000 });
    const bootId = `bench${randomBytes(4).toString('hex')}`;
    const start = Date.now() - daysMs(opts.days ?? 7);
    let batch: Reading[] = [];
    let items: Parameters<DiskQueue['enqueueMany']>[0] = [];
    let seq = 0;
    for (let i = 0; i < total; i++) {
      const ts = start + Math.floor(i / sensors) * minutes(1);
      batch.push({
        sensor: `s${i % sensors}`,
        metric: 'water_level',
        value: ((i * 7) % 400) / 10 - 20,
        unit: 'cm',
        ts,
        quality: 'good',
      });
      if (batch.length === perMessage || i === total - 1) {
        const msg: Telemetry = { bootId, seq: seq++, ts, readings: batch };
        items.push({
          channel: 'telemetry',
          payload: JSON.stringify(msg),
          weight: batch.length,
          readings: batch.length,
        });
        batch = [];
      }
      if (items.length === 1000) {
        queue.enqueueMany(items);
        items = [];
      }
    }
    queue.enqueueMany(items);
    queue.close(); // checkpoints the WAL: what a backlog costs at rest
    const diskBytes = fs.readdirSync(dataDir).reduce((n, f) => n + fs.statSync(path.join(dataDir, f)).size, 0);
    const fillMs = performance.now() - fillStart;

    const up = new Uplink({
      gatewayId,
      url: opts.url,
      username: opts.username,
      password: opts.password,
      dataDir,
      fw: 'bench',
      queue: {
        capacityReadings: total + 1000,
        drainPerSecond: opts.drainPerSecond ?? 1e9,
        maxInflight: opts.maxInflight ?? 100,
      },
      host: { required: opts.requireHost ?? false },
    });
    const connected = new Promise<void>((r) => up.once('connected', r));
    up.start();
    await connected;
    const t0 = performance.now();
    const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
    while (up.stats().sentReadings < total) {
      if (Date.now() > deadline) {
        await up.stop();
        throw new Error(`drain did not finish: ${up.stats().sentReadings} of ${total} readings acknowledged`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const drainMs = performance.now() - t0;
    await up.stop();
    return {
      readings: total,
      messages: seq,
      diskBytes,
      fillMs: Math.round(fillMs),
      drainMs: Math.round(drainMs),
      drainReadingsPerSec: Math.round(total / (drainMs / 1000)),
      drainMessagesPerSec: Math.round(seq / (drainMs / 1000)),
    };
  } finally {
    if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
