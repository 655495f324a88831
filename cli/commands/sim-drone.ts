import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import mqtt from 'mqtt';
import { simCommand } from '../main.js';
import { flyMission, loadRoute } from '../../simulators/drone/index.js';

const num = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) && v !== 'Infinity') throw new InvalidArgumentError(`${what} must be a number`);
  return Number(v);
};

interface SimOpts {
  mission: string; mqtt: string; drone: string; missionId?: string; speedup: number; seed: number;
  wind: number; windFrom: number; gpsNoise: number; swath?: number; flow?: number;
}

export function register(program: Command): void {
  simCommand(program).command('drone')
    .description('fly a spray mission (GeoJSON plan or QGroundControl .plan) and stream its as-applied log over MQTT')
    .requiredOption('--mission <file>', 'mission file: a `ruongso plan` GeoJSON export or a .plan')
    .option('--mqtt <url>', 'broker URL', 'mqtt://127.0.0.1:1883')
    .requiredOption('--drone <id>', 'drone id (topic level)')
    .option('--mission-id <id>', 'mission id carried in each message')
    .option('--speedup <n>', 'simulated seconds per real second (Infinity: as fast as possible)', num('speedup'), 1)
    .option('--seed <n>', 'noise seed', num('seed'), 1)
    .option('--wind <m/s>', 'wind speed', num('wind'), 2)
    .option('--wind-from <deg>', 'wind direction (from), ° from north', num('wind from'), 0)
    .option('--gps-noise <m>', 'σ of GNSS error', num('gps noise'), 0.1)
    .option('--swath <m>', '.plan files: swath width (not in the file)', num('swath'))
    .option('--flow <L/min>', '.plan files: pump flow while spraying (not in the file)', num('flow'))
    .action(async (o: SimOpts) => {
      const route = loadRoute(o.mission, { swathM: o.swath, flowLpm: o.flow });
      if (o.swath) route.swathM = o.swath;
      if (o.flow) route.flowLpm = o.flow;
      const client = await mqtt.connectAsync(o.mqtt, { clientId: `ruongso-sim-drone-${o.drone}-${randomBytes(3).toString('hex')}` });
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      try {
        const r = await flyMission(route, {
          droneId: o.drone, missionId: o.missionId, publisher: client, speedup: o.speedup, seed: o.seed,
          windMps: o.wind, windFromDeg: o.windFrom, gpsNoiseM: o.gpsNoise, signal: stop.signal,
        });
        process.stderr.write(`flew ${r.sorties} sortie(s): ${r.samples} samples in ${r.messages} messages (boot ${r.bootId})\n`);
      } finally {
        await client.endAsync();
      }
    });
}
