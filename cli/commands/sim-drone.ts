import { Command, InvalidArgumentError } from 'commander';
import { simCommand } from '../main.js';

const num = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) && v !== 'Infinity') throw new InvalidArgumentError(`${what} must be a number`);
  return Number(v);
};

interface SimOpts {
  mission: string[];
  mqtt: string;
  tank?: number;
  refill: number;
  drone: string;
  missionId?: string;
  speedup: number;
  seed: number;
  wind: number;
  windFrom: number;
  gpsNoise: number;
  swath?: number;
  flow?: number;
}

export function register(program: Command): void {
  simCommand(program)
    .command('drone')
    .description('fly a spray mission (GeoJSON plan or QGroundControl .plan) and stream its as-applied log over MQTT')
    .requiredOption(
      '--mission <file...>',
      'mission: a GeoJSON plan export (all sorties, with flow, swath and tank), or one .plan / .waypoints per sortie in order',
    )
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
    .option('--tank <L>', '.plan files: tank capacity (never filled above it)', num('tank'))
    .option('--refill <s>', 'ground time between sorties: land, refill, swap the battery', num('refill'), 300)
    .action(async (o: SimOpts) => {
      // loaded here so that `ruongso --help` stays fast
      const { default: mqtt } = await import('mqtt');
      const { flyMission, loadRoute } = await import('../../simulators/drone/index.js');
      const { joinSorties } = await import('../../cloud/missions/plan-from-route.js');
      // one run flies every sortie: separate runs would overlap in simulated time
      const route = joinSorties(o.mission.map((f) => loadRoute(f, { swathM: o.swath, flowLpm: o.flow })));
      if (o.swath) route.swathM = o.swath;
      if (o.flow) route.flowLpm = o.flow;
      if (o.tank) route.tankL = o.tank;
      if (!(route.flowLpm > 0))
        throw new InvalidArgumentError(
          'the mission file carries no pump flow: give --flow (a GeoJSON plan export carries it)',
        );
      // a broker binds a client id to its login: a drone connects with its own id
      const client = await mqtt.connectAsync(o.mqtt, { clientId: o.drone });
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      try {
        const r = await flyMission(route, {
          droneId: o.drone,
          missionId: o.missionId,
          publisher: client,
          speedup: o.speedup,
          seed: o.seed,
          windMps: o.wind,
          windFromDeg: o.windFrom,
          gpsNoiseM: o.gpsNoise,
          refillS: o.refill,
          signal: stop.signal,
        });
        process.stderr.write(
          `flew ${r.sorties} sortie(s): ${r.samples} samples in ${r.messages} messages (boot ${r.bootId})\n`,
        );
      } finally {
        await client.endAsync();
      }
    });
}
