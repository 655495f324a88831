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
  | 'QGC_NO_MISSION'
  | 'ROUTE_SPRAYS_NO_SPRAY_ZONE'
  | 'EXPORT_INVALID'
  | 'WEATHER_REFUSED'
  | 'MISSION_INVALID_TRANSITION'
  | 'MISSION_NOT_FOUND'
  | 'MISSION_CONFLICT'
  | 'MISSION_STORE'
  | 'FIELD_NOT_FOUND'
  | 'VERIFY_NO_LOG'
  | 'WEATHER_WARNINGS'
  | 'ROUTE_OFF_FIELD'
  | 'ROUTE_SPRAYS_OUTSIDE_FIELD'
  | 'ROUTE_COVERAGE_TOO_LOW'
  | 'ROUTE_NO_SPRAY'
  | 'WPL_PARSE_ERROR'
  | 'MISSION_NOT_APPROVED'
  | 'SORTIE_REQUIRED'
  | 'SORTIE_NOT_FOUND'
  | 'RESPRAY_NOTHING_MISSED'
  | 'PLAN_ENDURANCE_TOO_SHORT';

/**
 * `context.params` carries the numbers a person needs to act (the API sends them as `params`,
 * the web app words them); the message is for logs and developers.
 */
export class MissionError extends RuongSoError<MissionErrorCode> {
  get params(): Record<string, unknown> | undefined {
    return this.context?.params as Record<string, unknown> | undefined;
  }
}

/** One problem found while validating a field; validation collects all of them. */
export interface FieldIssue {
  code: MissionErrorCode;
  /** what the web app needs to word it */
  params?: Record<string, number | string>;
  message: string;
  /** ring 0 = outer boundary, 1.. = holes */
  ring?: number;
}
