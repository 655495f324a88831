/**
 * How each autopilot's mission runs a spray pump, from the firmware's own source:
 *
 * - ArduPilot: `AP_Mission::start_command` runs MAV_CMD_DO_SPRAYER (216) in a mission
 *   (libraries/AP_Mission/AP_Mission.cpp, `start_command_do_sprayer` → AC_Sprayer::run(p1 == 1)),
 *   built into ArduCopter when HAL_SPRAYER_ENABLED (SPRAY_ENABLE = 1, a servo output set to
 *   SERVOn_FUNCTION 22 "SprayerPump"). QGroundControl firmwareType 3 (MAV_AUTOPILOT_ARDUPILOTMEGA).
 * - PX4: `MavlinkMissionManager::parse_mavlink_mission_item` (src/modules/mavlink/mavlink_mission.cpp)
 *   accepts, among frame-MISSION commands, MAV_CMD_DO_SET_ACTUATOR (187) and answers every other
 *   one — DO_SPRAYER, DO_SET_SERVO, DO_SET_RELAY — with MAV_MISSION_UNSUPPORTED. 187 sets the
 *   outputs configured as "Peripheral via Actuator Set 1…6" (param1…6 in −1…1, NaN = unchanged,
 *   param7 = set index 0): the pump is actuator 1, on = 1, off = −1. firmwareType 12 (MAV_AUTOPILOT_PX4).
 */
export type Firmware = 'px4' | 'ardupilot';
export const FIRMWARES: readonly Firmware[] = ['px4', 'ardupilot'];

export const MAV_AUTOPILOT: Record<Firmware, number> = { ardupilot: 3, px4: 12 };

/** MAVLink pump commands we write and read back. */
export const PUMP_CMD = { DO_SPRAYER: 216, DO_SET_ACTUATOR: 187 } as const;

/** The 7 params of the pump item of a firmware; `null` is how QGroundControl writes NaN. */
export function pumpItem(fw: Firmware, on: boolean): { command: number; params: Array<number | null> } {
  if (fw === 'ardupilot') return { command: PUMP_CMD.DO_SPRAYER, params: [on ? 1 : 0, 0, 0, 0, 0, 0, 0] };
  return { command: PUMP_CMD.DO_SET_ACTUATOR, params: [on ? 1 : -1, null, null, null, null, null, 0] };
}

/** Spray state after a pump item, or undefined when the item does not touch actuator 1 / the sprayer. */
export function pumpState(command: number, params: Array<number | null>): boolean | undefined {
  if (command === PUMP_CMD.DO_SPRAYER) return params[0] === 1;
  if (command === PUMP_CMD.DO_SET_ACTUATOR && (params[6] ?? 0) === 0 && typeof params[0] === 'number')
    return params[0] > 0;
  return undefined;
}

export function firmwareOfType(firmwareType: number | undefined): Firmware | undefined {
  return firmwareType === MAV_AUTOPILOT.ardupilot
    ? 'ardupilot'
    : firmwareType === MAV_AUTOPILOT.px4
      ? 'px4'
      : undefined;
}
