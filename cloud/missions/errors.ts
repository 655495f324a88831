import { RuongSoError } from '../../lib/errors.js';

/** Stable codes of the mission component; HTTP maps FIELD_* / PLAN_* / QGC_* to 400, MISSION_CONFLICT to 409. */
export type MissionErrorCode =
  | 'FIELD_PARSE_ERROR'
  | 'FIELD_FILE_TOO_LARGE'
  | 'FIELD_NOT_POLYGON'
  | 'FIELD_MULTIPLE_POLYGONS'
  | 'FIELD_COORD_INVALID'
  | 'FIELD_TOO_FEW_POINTS'
  | 'FIELD_RING_NOT_CLOSED'
  | 'FIELD_SELF_INTERSECTION'
  | 'FIELD_LONLAT_SWAPPED'
  | 'FIELD_TOO_SMALL'
  | 'FIELD_TOO_LARGE'
  | 'FIELD_TOO_MANY_VERTICES'
  | 'FIELD_HOLE_OUTSIDE'
  | 'PLAN_INVALID_INPUT'
  | 'PLAN_FLOW_EXCEEDED'
  | 'PLAN_NOTHING_TO_SPRAY'
  | 'QGC_PARSE_ERROR'
  | 'QGC_UNSUPPORTED_VERSION'
  | 'QGC_UNSUPPORTED_ITEM'
  | 'QGC_UNSUPPORTED_COMMAND'
  | 'QGC_EMPTY_MISSION'
  | 'EXPORT_INVALID'
  | 'WEATHER_REFUSED'
  | 'MISSION_INVALID_TRANSITION'
  | 'MISSION_NOT_FOUND'
  | 'MISSION_CONFLICT'
  | 'MISSION_STORE'
  | 'FIELD_NOT_FOUND'
  | 'VERIFY_NO_LOG'
  | 'WEATHER_WARNINGS';

export class MissionError extends RuongSoError<MissionErrorCode> {}

/** One problem found while validating a field; validation collects all of them. */
export interface FieldIssue {
  code: MissionErrorCode;
  message: string;
  /** ring 0 = outer boundary, 1.. = holes */
  ring?: number;
}
