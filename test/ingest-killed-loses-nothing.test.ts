import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStored, publishStream, startFaultRig, until, type FaultRig } from './support/ingest/fault-rig.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());
const CHILD = fileURLToPath(new URL('./support/ingest/ingest-child.ts', import.meta.url));

function startChild(rig: FaultRig): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      INGEST_CHILD: JSON.stringify({
        mqttUrl: rig.mosquitto.url,
        ...rig.cloudUser,
        instanceId: rig.gatewayId,
        dataDir: rig.dataDir,
        influxUrl: rig.influx.url,
        db: rig.db,
      }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`ingest child exited early (${code})`)));
  });
}

describe.skipIf(!ok)('the cloud ingest killed with SIGKILL mid-stream, then restarted', () => {
  let rig: FaultRig;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    rig = await startFaultRig();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await rig?.destroy();
  });

  it(
    'gets every unacknowledged message again from its persistent session: none lost, none doubled',
    { timeout: 90_000 },
    async () => {
      child = await startChild(rig);
      const messages = 800;
      const perMessage = 25;
      const stream = await publishStream(rig, { messages, perMessage, ratePerSec: 200 });
      await until(async () => (await countStored(rig)).points > 100 * perMessage, 15_000, 'the first readings stored');
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const atKill = await countStored(rig);
      // messages keep coming while no ingest runs: the broker queues them for the session
      await new Promise((r) => setTimeout(r, 1500));
      expect(atKill.points).toBeLessThan(messages * perMessage);
      child = await startChild(rig);
      await stream.done;
      await until(
        async () => (await countStored(rig)).points >= messages * perMessage,
        20_000,
        'all readings in InfluxDB',
      );
      // a late duplicate would overwrite, a lost message would leave a seq out
      await new Promise((r) => setTimeout(r, 500));
      expect(await countStored(rig)).toEqual({ points: messages * perMessage, seqs: messages });
      await stream.stop();
      const exitedAgain = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exitedAgain;
      child = undefined;
    },
  );
});
