/** What the Node-RED nodes need, bundled by build.mjs into lib/ruongso.cjs. */
export {
  topics,
  filters,
  parseTopic,
  decodePayload,
  ID_PATTERN,
  GatewayConfig,
  Command,
  GatewayEvent,
  GatewayState,
  Telemetry,
  MissionStatus,
  EVENT_KINDS,
} from '../../../protocol/index.js';
export { issueSummary } from '../../../lib/zod-issues.js';
export * from './format.js';
export * from './alerts.js';
export * from './notify-gate.js';
export * from './outage-watch.js';
export * from './spray-neighbours.js';
export * from './salinity-bulletin.js';
export * from './gateway-messages.js';
