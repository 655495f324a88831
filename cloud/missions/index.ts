/** Public API of drone spray missions: pure functions plus the store port. */
export { MissionError, type MissionErrorCode, type FieldIssue } from './errors.js';
export {
  DEFAULT_FIELD_LIMITS,
  fieldIssues,
  makeField,
  validateBoundary,
  type Exclusion,
  type Field,
  type FieldLimits,
} from './field.js';
export { parseFieldFile, type FieldFormat } from './field-import.js';
export { planMission, requiredFlowLpm, type PlanRequest } from './planner.js';
export {
  DroneProfile,
  Product,
  PlanBuffers,
  Heading,
  type Plan,
  type PlanLeg,
  type PlanMetrics,
  type SortieSummary,
} from './types.js';
export type { FlightRoute } from './flight-route.js';
export { planToGeoJson, routeFromGeoJson, type PlanFeatureCollection } from './export-geojson.js';
export { planToKml } from './export-kml.js';
export { planToQgc, routeFromQgc, MAV_CMD, type QgcOptions, type QgcImportOptions } from './qgc-plan.js';
export { checkWeather, WeatherInput, type WeatherVerdict, type WeatherFinding } from './weather.js';
export {
  newLifecycle,
  transition,
  allowedActions,
  type MissionState,
  type MissionAction,
  type MissionLifecycle,
  type MissionEvent,
} from './lifecycle.js';
export { MemoryMissionStore, type MissionStore, type MissionRecord, type MissionFilter } from './store.js';
export { createMission, actOnMission } from './missions.js';
export {
  verifyAsApplied,
  gridToGeoJson,
  type VerificationReport,
  type CompactGrid,
  type VerifyTarget,
} from './verify.js';
export { exportPlan, type ExportFormat } from './export.js';
export { SqlMissionStore } from './sql-store.js';
export {
  MemoryFieldStore,
  SqlFieldStore,
  importField,
  fieldOf,
  type FieldRecord,
  type FieldStore,
  type FieldFilter,
} from './field-store.js';
export { migrateMissions, MISSION_MIGRATIONS } from './sql-migrations.js';
export { openMissionDb } from './mission-db.js';
export { planFromRoute } from './plan-from-route.js';
export {
  asAppliedPoints,
  loadAsApplied,
  withAsAppliedLog,
  AsAppliedRecorder,
  droneLogKey,
  type AsAppliedQuery,
} from './as-applied.js';
