import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ExportFormat } from '../../cloud/missions/export.js';

const num = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${what} must be a number`);
  return n;
};

const heading = (v: string): 'auto' | number => (v === 'auto' ? 'auto' : num('heading')(v));

function lonLat(v: string): [number, number] {
  const [a, b] = v.split(',').map(Number);
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new InvalidArgumentError('home must be "lon,lat"');
  return [a!, b!];
}

function refillOpt(v: string): 'auto' | Array<[number, number]> {
  if (v === 'auto') return 'auto';
  const pts = v.split(';').filter(Boolean).map(lonLat);
  if (pts.length === 0 || pts.length > 1000)
    throw new InvalidArgumentError('refill must be "auto" or 1–1000 points "lon,lat;lon,lat"');
  return pts;
}

/** Writes every file to a temporary name first, then renames: all or nothing. */
function writeAtomically(files: Array<{ path: string; text: string }>): void {
  const tmps = files.map((f) => ({ ...f, tmp: join(dirname(f.path), `.${basename(f.path)}.${process.pid}.tmp`) }));
  try {
    for (const f of tmps) writeFileSync(f.tmp, f.text);
  } catch (err) {
    for (const f of tmps)
      try {
        unlinkSync(f.tmp);
      } catch {
        /* never written */
      }
    throw err;
  }
  for (const f of tmps) renameSync(f.tmp, f.path);
}

interface PlanOpts {
  swath: number;
  rate: number;
  tank: number;
  flow: number;
  speed: number;
  endurance: number;
  altitude: number;
  buffer: number;
  holeBuffer?: number;
  heading: 'auto' | number;
  home?: [number, number];
  product: string;
  maxWind: number;
  refill?: 'auto' | Array<[number, number]>;
  format: ExportFormat;
  out?: string;
  sortie?: number;
  firmware: 'px4' | 'ardupilot';
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('plan a drone spray mission over a field (GeoJSON or KML) and export it')
    .argument('<field>', 'field boundary: .geojson / .json (Polygon, Feature or FeatureCollection) or .kml')
    .requiredOption('--swath <m>', 'effective swath width, m', num('swath'))
    .option('--rate <L/ha>', 'application rate', num('rate'), 15)
    .option('--tank <L>', 'tank volume', num('tank'), 30)
    .option('--flow <L/min>', 'maximum pump flow', num('flow'), 10)
    .option('--speed <m/s>', 'spray speed', num('speed'), 5)
    .option('--endurance <min>', 'flight time per battery', num('endurance'), 15)
    .option('--altitude <m>', 'spray height above take-off', num('altitude'), 3)
    .option('--buffer <m>', 'no-spray buffer inward from the boundary', num('buffer'), 0)
    .option('--hole-buffer <m>', 'no-spray buffer around holes (default: --buffer)', num('hole buffer'))
    .option('--heading <auto|deg>', 'pass direction, ° from north, or auto (fewest turns)', heading, 'auto')
    .option(
      '--home <lon,lat>',
      'refill / take-off point (default: from the file, else the southernmost corner)',
      lonLat,
    )
    .option(
      '--refill <auto|lon,lat;…>',
      'refill points: auto (anywhere along the boundary, the truck follows) or reachable points "lon,lat;lon,lat"; each sortie uses the nearest',
      refillOpt,
    )
    .option('--product <name>', 'product name', 'product')
    .option('--max-wind <m/s>', "product's wind limit", num('max wind'), 5)
    .addOption(new Option('--format <format>', 'output format').choices(['geojson', 'kml', 'qgc']).default('geojson'))
    .option(
      '--out <file>',
      'write here (atomically) instead of stdout; qgc with several sorties writes FILE.sN.plan each',
    )
    .option('--sortie <n>', 'qgc: only this sortie', num('sortie'))
    .addOption(new Option('--firmware <fw>', 'qgc firmware type').choices(['px4', 'ardupilot']).default('px4'))
    .action((file: string, o: PlanOpts) => runPlan(file, o));
}

async function runPlan(file: string, o: PlanOpts): Promise<void> {
  // loaded here so that `ruongso --help` stays fast
  const { MissionError } = await import('../../cloud/missions/errors.js');
  const { exportPlan } = await import('../../cloud/missions/export.js');
  const { parseFieldFile } = await import('../../cloud/missions/field-import.js');
  const { planMission } = await import('../../cloud/missions/planner.js');
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new MissionError('FIELD_PARSE_ERROR', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const field = parseFieldFile(data, { filename: file });
  const plan = planMission({
    field,
    drone: {
      swathM: o.swath,
      tankL: o.tank,
      maxFlowLpm: o.flow,
      speedMps: o.speed,
      enduranceMin: o.endurance,
      altitudeM: o.altitude,
    },
    product: { name: o.product, rateLPerHa: o.rate, maxWindMps: o.maxWind },
    buffers: { boundaryM: o.buffer, holeM: o.holeBuffer ?? o.buffer },
    heading: o.heading,
    home: o.home,
    ...(o.refill ? { refill: o.refill } : {}),
  });
  const m = plan.metrics;
  process.stderr.write(
    `${m.fieldAreaHa} ha field, ${m.sprayableAreaHa} ha sprayable, heading ${m.headingDeg}°, ${m.sorties} sortie(s), ` +
      `${m.litres} L, ${(m.pathLengthM / 1000).toFixed(2)} km (${m.pathRatio}× lower bound), ${m.turns} turns, ` +
      `coverage ${(m.coverage * 100).toFixed(2)} %, overspray ${(m.overspray * 100).toFixed(2)} %, double dose ${((m.doubleDose ?? 0) * 100).toFixed(2)} %, ` +
      `ferries ${(m.ferryLengthM / 1000).toFixed(2)} km from ${plan.refillPoints?.length ?? 1} refill point(s), flow ${m.flowLpm} L/min\n`,
  );
  const qgc = { firmware: o.firmware, fence: field.boundary.coordinates[0] as Array<[number, number]> };
  if (o.format === 'qgc' && o.sortie === undefined && m.sorties > 1) {
    if (!o.out)
      throw new MissionError(
        'SORTIE_REQUIRED',
        `the plan has ${m.sorties} sorties and a .plan holds one: give --sortie N, or --out FILE to write one file per sortie`,
        { context: { params: { sorties: m.sorties } } },
      );
    const base = o.out.slice(0, o.out.length - extname(o.out).length);
    // FILE.sortie-2-of-4-px4.plan: the name says which part of the mission a file is
    const name = (k: number) => `${base}.sortie-${k}-of-${m.sorties}-${o.firmware}.plan`;
    const files = plan.sorties.map((s) => ({
      path: name(s.sortie),
      text: exportPlan(plan, 'qgc', { ...qgc, sortie: s.sortie }),
    }));
    writeAtomically(files);
    process.stderr.write(`wrote ${files.map((f) => f.path).join(', ')}\n`);
    return;
  }
  const text = exportPlan(plan, o.format, { ...qgc, ...(o.sortie !== undefined ? { sortie: o.sortie } : {}) });
  if (o.out) writeAtomically([{ path: o.out, text }]);
  else process.stdout.write(text);
}
