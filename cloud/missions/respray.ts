import type { MultiPolygon } from 'geojson';
import { MissionError } from './errors.js';
import type { Field } from './field.js';
import { frameFor } from './geo/local-frame.js';
import { bufferLocal, multiArea } from './geo/ops.js';
import { planMission, type PlanRequest } from './planner.js';
import type { Plan } from './types.js';
import type { VerificationReport } from './verify.js';

/**
 * A respray plan over the missed and under-dosed ground of a verification: both areas grown by
 * half a swath and a cell (a cell is missed when its centre is; the headland of a respray must
 * fit), then clipped to the original plan's sprayable ground by the planner. Same drone, product
 * and rate as the mission it repairs.
 */
export function resprayPlan(
  original: Plan,
  report: VerificationReport,
  field: Field,
  o: { buffers?: { boundaryM: number; holeM: number }; refill?: PlanRequest['refill'] } = {},
): Plan {
  if (report.verdict !== 'respray') {
    throw new MissionError('RESPRAY_NOTHING_MISSED', 'the verification passed: there is nothing to respray', {
      context: { params: { verdict: report.verdict } },
    });
  }
  const polys = [...report.missed.coordinates, ...report.underDosed.coordinates];
  const frame = frameFor(field.boundary.coordinates[0]!);
  const local = polys.map((p) => frame.polygonToLocal(p));
  const grown = bufferLocal(local, original.swathM / 2 + report.cellM);
  if (multiArea(grown) < 1) {
    throw new MissionError(
      'RESPRAY_NOTHING_MISSED',
      'the verification found no missed or under-dosed ground to respray',
      { context: { params: { verdict: report.verdict } } },
    );
  }
  const area: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: grown.map((p) => p.map((r) => frame.ringToLonLat(r))),
  };
  return planMission({
    field,
    drone: original.drone,
    product: original.product,
    area,
    home: original.home,
    ...(o.buffers ? { buffers: o.buffers } : {}),
    ...(o.refill ? { refill: o.refill } : {}),
  });
}
