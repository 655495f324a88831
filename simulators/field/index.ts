export {
  advancePaddy,
  paddyFluxMmPerHour,
  PADDY_DEFAULTS,
  type PaddyParams,
  type PaddyState,
  type PaddyInputs,
} from './paddy.js';
export { canalSalinityPpt, pptToEcMicroSiemens, SALINITY_DEFAULTS, type SalinityParams } from './salinity.js';
export { advanceSoil, SOIL_DEFAULTS, type SoilParams, type SoilState } from './soil.js';
export { hash01, etShapePerHour, rainMmPerHour } from './random.js';
