import { z } from 'zod';
import { issueSummary } from '../../lib/zod-issues.js';
import { MissionError } from './errors.js';
import type { FlightRoute } from './flight-route.js';
import type { LonLat } from './geo/local-frame.js';
import type { Plan } from './types.js';
import {
  MAV_AUTOPILOT,
  PUMP_CMD,
  PX4_MAX_SECTIONS,
  pumpItem,
  pumpState,
  sectionChannels,
  sectionItems,
  sectionState,
  type Firmware,
} from './firmware.js';

/** MAVLink commands we write and read (MAV_CMD_*). */
export const MAV_CMD = {
  NAV_WAYPOINT: 16,
  NAV_LOITER_TIME: 19,
  NAV_RETURN_TO_LAUNCH: 20,
  NAV_LAND: 21,
  NAV_TAKEOFF: 22,
  DO_CHANGE_SPEED: 178,
  DO_SET_ROI_LOCATION: 195,
  DO_SET_ROI_NONE: 197,
  DO_SPRAYER: PUMP_CMD.DO_SPRAYER,
  DO_SET_ACTUATOR: PUMP_CMD.DO_SET_ACTUATOR,
  DO_SET_SERVO: PUMP_CMD.DO_SET_SERVO,
} as const;

/** Names of common commands we do not fly, so a rejection can say what it found. */
const OTHER_CMD_NAMES: Record<number, string> = {
  17: 'NAV_LOITER_UNLIM',
  18: 'NAV_LOITER_TURNS',
  31: 'NAV_LOITER_TO_ALT',
  82: 'NAV_SPLINE_WAYPOINT',
  84: 'NAV_VTOL_TAKEOFF',
  85: 'NAV_VTOL_LAND',
  93: 'NAV_DELAY',
  177: 'DO_JUMP',
  181: 'DO_SET_RELAY',
  201: 'DO_SET_ROI',
  112: 'CONDITION_DELAY',
  113: 'CONDITION_CHANGE_ALT',
  114: 'CONDITION_DISTANCE',
  115: 'CONDITION_YAW',
  530: 'SET_CAMERA_MODE',
  531: 'SET_CAMERA_ZOOM',
  532: 'SET_CAMERA_FOCUS',
  1000: 'DO_GIMBAL_MANAGER_PITCHYAW',
  203: 'DO_DIGICAM_CONTROL',
  205: 'DO_MOUNT_CONTROL',
  206: 'DO_SET_CAM_TRIGG_DIST',
  2000: 'IMAGE_START_CAPTURE',
  2001: 'IMAGE_STOP_CAPTURE',
  2500: 'VIDEO_START_CAPTURE',
  3000: 'DO_VTOL_TRANSITION',
};
const SUPPORTED = new Set<number>(Object.values(MAV_CMD));
const cmdName = (c: number) => Object.entries(MAV_CMD).find(([, v]) => v === c)?.[0] ?? OTHER_CMD_NAMES[c] ?? 'unknown';

export const FRAME = { GLOBAL: 0, MISSION: 2, GLOBAL_RELATIVE_ALT: 3, GLOBAL_TERRAIN_ALT: 10 } as const;
export const FIRMWARE = { ARDUPILOT: MAV_AUTOPILOT.ardupilot, PX4: MAV_AUTOPILOT.px4 } as const;
const VEHICLE_QUADROTOR = 2;

export interface QgcOptions {
  /** which autopilot flies it: decides the pump command (firmware.ts); default px4 */
  firmware?: Firmware;
  vehicleType?: number;
  sortie?: number;
  fence?: LonLat[];
}

type Item = Record<string, unknown>;

function navItem(id: number, command: number, p: LonLat, alt: number, p1 = 0): Item {
  return {
    AMSLAltAboveTerrain: null,
    Altitude: alt,
    AltitudeMode: 1,
    autoContinue: true,
    command,
    doJumpId: id,
    frame: FRAME.GLOBAL_RELATIVE_ALT,
    params: [p1, 0, 0, null, p[1], p[0], alt],
    type: 'SimpleItem',
  };
}

function doItem(id: number, command: number, params: Array<number | null>): Item {
  return { autoContinue: true, command, doJumpId: id, frame: FRAME.MISSION, params, type: 'SimpleItem' };
}

/**
 * One sortie as a QGroundControl `.plan` (Plan File Format, mission version 2): take-off at
 * the refill point, spray speed, waypoints, the firmware's pump command on at each pass start
 * and off at its end, return to launch. One file per sortie: the drone lands to refill between.
 */
export function planToQgc(plan: Plan, opts: QgcOptions = {}): Record<string, unknown> {
  const sortie = opts.sortie ?? 1;
  const fw = opts.firmware ?? 'px4';
  const legs = plan.legs.filter((l) => l.sortie === sortie);
  if (legs.length === 0) {
    throw new MissionError('SORTIE_NOT_FOUND', `the plan has no sortie ${sortie} (it has ${plan.metrics.sorties})`, {
      context: { params: { sortie, sorties: plan.metrics.sorties } },
    });
  }
  const alt = plan.altitudeM;
  const items: Item[] = [];
  const id = () => items.length + 1;
  const k = plan.drone?.sprayer?.sections ?? 1;
  if (k > 1 && fw === 'px4' && k > PX4_MAX_SECTIONS) {
    throw new MissionError(
      'EXPORT_INVALID',
      `PX4 sets at most ${PX4_MAX_SECTIONS} nozzle sections from a mission (one actuator set); this drone has ${k}`,
      { context: { params: { firmware: fw, sections: k, maxSections: PX4_MAX_SECTIONS } } },
    );
  }
  const channels = sectionChannels(k, plan.drone?.sprayer?.servoChannels);
  let sections: boolean[] | undefined;
  const pump = (on: boolean) => {
    // a sectional boom: each spray leg opens its own sections (absent: all), the end closes them
    const ps =
      k > 1
        ? sectionItems(fw, on ? (sections ?? Array<boolean>(k).fill(true)) : Array<boolean>(k).fill(false), channels)
        : [pumpItem(fw, on)];
    for (const p of ps) items.push(doItem(id(), p.command, p.params));
  };
  // with refill points along the boundary a sortie may take off in one place and land in another
  const launch = legs[0]!.coordinates[0]!;
  const landing = legs.at(-1)!.coordinates.at(-1)!;
  const sameSpot = Math.abs(launch[0] - landing[0]) < 1e-7 && Math.abs(launch[1] - landing[1]) < 1e-7;
  items.push(navItem(id(), MAV_CMD.NAV_TAKEOFF, launch, alt));
  items.push(doItem(id(), MAV_CMD.DO_CHANGE_SPEED, [1, plan.speedMps, -1, 0, 0, 0, 0]));
  let last: LonLat | undefined;
  for (const leg of legs) {
    sections = leg.sections;
    for (const [i, p] of leg.coordinates.entries()) {
      if (!(last && last[0] === p[0] && last[1] === p[1])) items.push(navItem(id(), MAV_CMD.NAV_WAYPOINT, p, alt));
      last = p;
      if (leg.spray && i === 0) pump(true);
    }
    if (leg.spray) pump(false);
  }
  if (sameSpot) items.push(doItem(id(), MAV_CMD.NAV_RETURN_TO_LAUNCH, [0, 0, 0, 0, 0, 0, 0]));
  else items[items.length - 1] = navItem(items.length, MAV_CMD.NAV_LAND, landing, 0);
  return {
    fileType: 'Plan',
    geoFence: {
      circles: [],
      polygons: opts.fence
        ? [{ inclusion: true, polygon: opts.fence.slice(0, -1).map(([lon, lat]) => [lat, lon]), version: 1 }]
        : [],
      version: 2,
    },
    groundStation: 'QGroundControl',
    mission: {
      cruiseSpeed: plan.speedMps,
      firmwareType: MAV_AUTOPILOT[fw],
      globalPlanAltitudeMode: 1,
      hoverSpeed: plan.speedMps,
      items,
      plannedHomePosition: [launch[1], launch[0], 0],
      vehicleType: opts.vehicleType ?? VEHICLE_QUADROTOR,
      version: 2,
    },
    rallyPoints: { points: [], version: 2 },
    version: 1,
  };
}

const Param = z.number().nullable();
const SimpleItem = z
  .object({
    type: z.literal('SimpleItem'),
    command: z.number().int(),
    frame: z.number().int(),
    params: z.array(Param).length(7),
    doJumpId: z.number().int().optional(),
    autoContinue: z.boolean().optional(),
  })
  .passthrough();
const QgcFile = z.object({
  fileType: z.string(),
  version: z.number(),
  groundStation: z.string().optional(),
  mission: z.object({
    version: z.number(),
    firmwareType: z.number().optional(),
    vehicleType: z.number().optional(),
    cruiseSpeed: z.number().optional(),
    hoverSpeed: z.number().optional(),
    plannedHomePosition: z.array(z.number().nullable()).min(2),
    items: z.array(z.object({ type: z.string() }).passthrough()),
  }),
});

export interface QgcImportOptions {
  swathM?: number;
  flowLpm?: number;
  speedMps?: number;
}

/** How the web app and the message name a QGC ComplexItem kind. */
const COMPLEX_KIND: Record<string, string> = {
  survey: 'survey',
  StructureScan: 'structure scan',
  CorridorScan: 'corridor scan',
  fwLandingPattern: 'fixed-wing landing pattern',
  vtolLandingPattern: 'VTOL landing pattern',
};

function refuseComplex(items: Array<Record<string, unknown>>): void {
  // checked before any simple command: a survey plan also carries camera commands (MAVSDK's
  // test plans start with SET_CAMERA_MODE), and the survey is what the person must convert
  const i = items.findIndex((it) => it.type !== 'SimpleItem');
  if (i < 0) return;
  const it = items[i]!;
  const kind = typeof it.complexItemType === 'string' ? it.complexItemType : String(it.type);
  const named = COMPLEX_KIND[kind] ?? kind;
  throw new MissionError(
    'QGC_UNSUPPORTED_ITEM',
    `QGC ${named} items are not supported here: convert them to waypoints in QGC (mission item ${i + 1} is a ${String(it.type)} "${kind}")`,
    {
      context: {
        params: {
          item: i + 1,
          itemType: String(it.type).slice(0, 40),
          complexItemType: kind.slice(0, 40),
          kind: named.slice(0, 40),
        },
      },
    },
  );
}

function checkItems(items: Array<Record<string, unknown>>): Array<z.infer<typeof SimpleItem>> {
  refuseComplex(items);
  return items.map((it, i) => {
    const r = SimpleItem.safeParse(it);
    if (!r.success) {
      const path = `mission.items.${i}.${r.error.issues[0]!.path.join('.')}`;
      throw new MissionError('QGC_PARSE_ERROR', `mission item ${i + 1}: ${issueSummary(r.error)}`, {
        context: { params: { path, item: i + 1 } },
      });
    }
    if (!SUPPORTED.has(r.data.command)) {
      throw new MissionError(
        'QGC_UNSUPPORTED_COMMAND',
        `mission item ${i + 1} (doJumpId ${r.data.doJumpId ?? '?'}) uses MAVLink command ${r.data.command} (${cmdName(r.data.command)}), which we do not fly; supported: ${[...SUPPORTED].map((c) => `${c} ${cmdName(c)}`).join(', ')}`,
        {
          context: {
            params: {
              item: i + 1,
              command: r.data.command,
              commandName: cmdName(r.data.command),
              supported: [...SUPPORTED].join(','),
            },
          },
        },
      );
    }
    return r.data;
  });
}

/** Reads a QGroundControl `.plan`; one sortie per return-to-launch or landing. */
export function routeFromQgc(json: unknown, opts: QgcImportOptions = {}): FlightRoute {
  const o = json as Record<string, unknown> | null;
  if (o && typeof o === 'object' && o.fileType === 'Plan' && o.mission === undefined) {
    // MAVSDK's "without mission" test plan: a geofence and nothing to fly
    throw new MissionError('QGC_NO_MISSION', 'the plan file holds no mission (only a geofence or rally points)', {
      context: { params: { members: Object.keys(o).sort().join(',').slice(0, 120) } },
    });
  }
  const parsed = QgcFile.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new MissionError('QGC_PARSE_ERROR', `not a QGroundControl plan: ${issueSummary(parsed.error)}`, {
      context: { params: { path: i.path.join('.') || '(root)' } },
    });
  }
  const f = parsed.data;
  const version = (what: string, found: unknown, supported: unknown, msg: string) =>
    new MissionError('QGC_UNSUPPORTED_VERSION', msg, {
      context: { params: { what, found: String(found).slice(0, 40), supported: String(supported) } },
    });
  if (f.fileType !== 'Plan') throw version('fileType', f.fileType, 'Plan', `fileType "${f.fileType}" is not "Plan"`);
  if (f.version !== 1)
    throw version('version', f.version, 1, `plan file version ${f.version} is not supported (only 1)`);
  if (f.mission.version !== 2)
    throw version(
      'missionVersion',
      f.mission.version,
      2,
      `mission version ${f.mission.version} is not supported (only 2)`,
    );
  const items = checkItems(f.mission.items);
  const [hLat, hLon] = f.mission.plannedHomePosition;
  const home: LonLat = [hLon ?? 0, hLat ?? 0];
  let speed = opts.speedMps ?? f.mission.hoverSpeed ?? f.mission.cruiseSpeed ?? 5;
  let spray = false,
    sortie = 1,
    pos: LonLat = home,
    alt = 0;
  const legs: FlightRoute['legs'] = [];
  // a pump-on item starts a new spray leg (a sectional boom switches sections at a waypoint)
  let cut = false;
  let sections: boolean[] | undefined;
  const moveTo = (p: LonLat) => {
    if (p[0] === pos[0] && p[1] === pos[1]) return;
    const cur = legs.at(-1);
    if (cur && cur.spray === spray && cur.sortie === sortie && !cut) cur.coordinates.push(p);
    else
      legs.push({
        sortie,
        spray,
        coordinates: [pos, p],
        ...(spray && sections && sections.some((o) => !o) ? { sections } : {}),
      });
    cut = false;
    pos = p;
  };
  for (const it of items) {
    const [, p2, , , lat, lon, a] = it.params;
    const at: LonLat | null = lat && lon ? [lon, lat] : null;
    switch (it.command) {
      case MAV_CMD.DO_SPRAYER:
      case MAV_CMD.DO_SET_ACTUATOR: {
        const on = pumpState(it.command, it.params);
        if (on) cut = true;
        if (it.command === MAV_CMD.DO_SET_ACTUATOR) sections = sectionState(it.command, it.params);
        spray = on ?? spray;
        break;
      }
      case MAV_CMD.DO_CHANGE_SPEED:
        if (p2 && p2 > 0) speed = p2;
        break;
      case MAV_CMD.NAV_RETURN_TO_LAUNCH:
        moveTo(home);
        spray = false;
        sortie++;
        break;
      case MAV_CMD.NAV_LAND:
        if (at) moveTo(at);
        spray = false;
        sortie++;
        break;
      case MAV_CMD.DO_SET_ROI_LOCATION:
      case MAV_CMD.DO_SET_ROI_NONE:
      case MAV_CMD.DO_SET_SERVO: // a section valve of ours: the sprayer's 216 says whether it sprays
        break;
      default:
        if (at) moveTo(at);
        if (typeof a === 'number' && it.frame !== FRAME.GLOBAL) alt = Math.max(alt, a);
    }
  }
  if (legs.length === 0)
    throw new MissionError('QGC_EMPTY_MISSION', 'the plan has no waypoint to fly', {
      context: { params: { items: items.length } },
    });
  const sortieOf = new Map<number, number>();
  for (const l of legs) if (!sortieOf.has(l.sortie)) sortieOf.set(l.sortie, sortieOf.size + 1);
  return {
    home,
    altitudeM: alt || 3,
    speedMps: speed,
    swathM: opts.swathM ?? 5,
    flowLpm: opts.flowLpm ?? 0,
    legs: legs.map((l) => ({ ...l, sortie: sortieOf.get(l.sortie)! })),
  };
}
