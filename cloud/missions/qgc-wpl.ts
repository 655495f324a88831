import { MissionError } from './errors.js';

/** The first line of a QGroundControl / Mission Planner waypoint file. */
export const WPL_HEADER = /^QGC WPL 110\s*$/;

const MAX_LINES = 20_000;

/**
 * A QGC WPL 110 `.waypoints` file (the plain-text format QGroundControl and Mission Planner
 * read and write: one tab-separated line per item — index, current, frame, command, param1…4,
 * lat, lon, alt, autocontinue; line 0 is the home position) as a Plan File object, so one
 * reader (`routeFromQgc`) checks and flies both.
 */
export function wplToPlan(text: string): Record<string, unknown> {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (!WPL_HEADER.test(lines[0] ?? '')) {
    throw new MissionError('WPL_PARSE_ERROR', 'not a QGC WPL 110 file: the first line must be "QGC WPL 110"', {
      context: { params: { line: 1 } },
    });
  }
  if (lines.length > MAX_LINES)
    throw new MissionError('WPL_PARSE_ERROR', `the file has ${lines.length} lines; at most ${MAX_LINES}`, {
      context: { params: { line: MAX_LINES, maxLines: MAX_LINES } },
    });
  const rows = lines.slice(1).map((l, i) => {
    const f = l.split(/\s+/).map(Number);
    if (f.length !== 12 || f.some((v) => !Number.isFinite(v))) {
      throw new MissionError(
        'WPL_PARSE_ERROR',
        `line ${i + 2}: a waypoint line has 12 numbers (index, current, frame, command, 4 params, lat, lon, alt, autocontinue)`,
        { context: { params: { line: i + 2 } } },
      );
    }
    return f;
  });
  if (rows.length === 0)
    throw new MissionError('QGC_EMPTY_MISSION', 'the file has no home line and no waypoint', {
      context: { params: { items: 0 } },
    });
  const [home, ...items] = rows;
  return {
    fileType: 'Plan',
    version: 1,
    groundStation: 'QGroundControl',
    mission: {
      version: 2,
      plannedHomePosition: [home![8], home![9], home![10]],
      items: items.map((r) => ({
        type: 'SimpleItem',
        doJumpId: r[0],
        frame: r[2],
        command: r[3],
        autoContinue: r[11] === 1,
        params: [r[4], r[5], r[6], r[7], r[8], r[9], r[10]],
      })),
    },
  };
}
