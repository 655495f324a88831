export { Uplink, type UplinkStats, type EventInput } from './uplink.js';
export { type UplinkOptions, type UplinkSettings, SEVEN_DAYS_OF_32_SENSORS } from './options.js';
export type { ConfigHandler, ConfigResult, CommandHandler, CommandResult } from './downlink.js';
export { DiskQueue, type QueueStats, type OutChannel } from './disk-queue.js';
export { UplinkError, type UplinkErrorCode } from './errors.js';
