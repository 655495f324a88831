/**
 * Every `code` a gateway event may carry, with the parameters it puts in `data` (numbers raw,
 * units canonical). The web app translates these; edge/README.md "Event codes" lists the same
 * table (a test keeps the two in step). `?` = only when it applies.
 */
const LEVEL = ['waterLevelCm', 'lowCm', 'highCm', 'keepFlooded'];
const SOIL = ['soilMoisturePct', 'refillPct', 'fieldCapacityPct'];
const UNKNOWN = ['sensor', 'metric', 'cause', 'fault?', 'ageSeconds?', 'value?', 'min?', 'max?', 'unit?'];

export const EVENT_CODES: Readonly<Record<string, readonly string[]>> = {
  // the loop: valve decisions (valve_opened / valve_closed / blocked / interlock)
  awd_refill: LEVEL,
  awd_refilling: LEVEL,
  awd_target_reached: LEVEL,
  awd_no_water_needed: LEVEL,
  soil_refill: SOIL,
  soil_refilling: SOIL,
  soil_field_capacity: SOIL,
  soil_no_water_needed: SOIL,
  min_off_time: [...SOIL, 'minOffMinutes', 'minutesLeft'],
  schedule_window: ['start', 'end'],
  outside_schedule: ['windows'],
  outside_allowed_window: ['windows', "…the mode's params"],
  zone_off: [],
  zone_incomplete: ['mode'],
  sensor_unknown: UNKNOWN,
  valve_not_in_zone: ['configVersion'],
  manual_open: ['by', 'until', 'cmdId?'],
  manual_close: ['by', 'until', 'cmdId?'],
  manual_ended: ['then', "…the mode's params"],
  salinity_interlock: ['salinityPpt', 'limitPpt', "…the mode's params"],
  salinity_unknown: [...UNKNOWN, 'limitPpt'],
  max_run_time: ['maxRunMinutes', 'openMinutes', 'lockedUntil'],
  lockout: ['lockedUntil'],
  pump_capacity: ['pump', 'maxOpenValves'],
  // pumps, start, sensors, commands
  pump_valve_open: ['pump', 'valves'],
  pump_no_valve_open: ['pump', 'valves'],
  started: ['configVersion', 'valves', 'pumps'],
  sensor_recovered: ['sensor', 'metric'],
  cmd_open: ['cmdId', 'by', 'valves', 'minutes'],
  cmd_close: ['cmdId', 'by', 'valves', 'minutes'],
  cmd_stop_all: ['cmdId', 'by', 'valves', 'minutes'],
  cmd_resume: ['cmdId', 'by', 'valves', 'cleared'],
  // the gateway process
  cmd_refused: ['cmdId', 'cmdKind', 'why?'],
  cmd_expired: ['cmdId', 'cmdKind', 'why?'],
  config_applied: ['version', 'previousVersion', 'zones'],
  config_invalid: ['version', 'runningVersion', 'problems'],
  config_hardware_mismatch: ['version', 'runningVersion', 'problems'],
  loop_error: [],
  relay_open_failed: ['actuator', 'on'],
  relay_close_failed: ['actuator', 'on', 'when?'],
  spare_coil_close_failed: ['coil', 'when'],
  device_fault: ['sensor', 'fault'],
  device_recovered: ['sensor', 'downSeconds'],
  serial_mismatch: [
    'device',
    'bus',
    'baudDevice?',
    'baudBus?',
    'parityDevice?',
    'parityBus?',
    'dataBitsDevice?',
    'dataBitsBus?',
    'stopBitsDevice?',
    'stopBitsBus?',
  ],
  // the uplink
  queue_dropped: [
    'droppedReadings',
    'droppedEvents',
    'droppedMessages',
    'droppedReadingsTotal',
    'droppedMessagesTotal',
    'capacityReadings',
  ],
  disk_full: ['freeBytes', 'capacityReadings'],
  disk_recovered: ['lostReadings'],
};

/** `why` of a refused command: expired, unknown_target, not_opened, or the code of the block that refused it */
export const COMMAND_REFUSAL_CODES = ['expired', 'unknown_target', 'not_opened'] as const;
