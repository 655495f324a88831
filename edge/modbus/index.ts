export { parseBusUrl, type BusAddress, type TcpBusAddress, type RtuBusAddress } from './bus-url.js';
export { ModbusBus, BUS_DEFAULTS, type BusOptions, type BusStats, type BackoffOptions } from './bus.js';
export { ModbusError, classifyError, type ModbusErrorCode, type ModbusFault } from './errors.js';
export {
  decodeValue,
  decodeRaw,
  encodeValue,
  registerCount,
  type DataType,
  type WordOrder,
  type Encoding,
} from './decode.js';
export {
  loadProfile,
  parseProfile,
  shippedProfiles,
  DeviceProfileSchema,
  PROFILES_DIR,
  type DeviceProfile,
  type DeviceProfileInput,
  type ProfilePoint,
  type ProfileCoil,
} from './profile.js';
export { planReads, type ReadBlock } from './read-plan.js';
export {
  DevicePoller,
  DeviceConfigSchema,
  type DeviceConfig,
  type PollerOptions,
  type SensorFault,
  type SensorRecovery,
} from './poller.js';
export {
  RelayBoard,
  ActuatorConfigSchema,
  type ActuatorConfig,
  type RelayBoardOptions,
  type BoardCoils,
  type CloseAllResult,
} from './relay-board.js';
export {
  ModbusSerialLink,
  ModbusClient,
  defaultLinkFactory,
  type ModbusLink,
  type LinkFactory,
  type ModbusRequest,
} from './link.js';
