export * from './topics.js';
export * from './metrics.js';
export * from './schemas/common.js';
export * from './schemas/messages.js';
export * from './schemas/gateway-config.js';
export * from './schemas/weather-rules.js';
export * from './schemas/drone.js';
export * from './schemas/mission.js';
export {
  payloadSchemaFor,
  decodePayload,
  MAX_PAYLOAD_BYTES,
  type DecodeResult,
  type DecodedMessage,
  type GatewayMessage,
  type GatewayPayloads,
} from './decode.js';
