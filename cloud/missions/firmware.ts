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
 *
 * Nozzle sections (a drone with `sprayer.sections` > 1):
 * - PX4: the same 187 item sets actuator j + 1 for section j (1 = open, −1 = closed, the pump's
 *   on / off values), the actuators past the last section NaN; at most 6 sections (one actuator
 *   set: "Peripheral via Actuator Set 1…6").
 * - ArduPilot: one MAV_CMD_DO_SET_SERVO (183: p1 = servo output, p2 = PWM µs) per section valve
 *   before the pump goes on (AP_Mission::start_command → start_command_do_servo_relay →
 *   AP_ServoRelayEvents::do_set_servo, libraries/AP_ServoRelayEvents/AP_ServoRelayEvents.cpp,
 *   which only drives an output whose SERVOn_FUNCTION is 0 "Disabled" or 1 "RCPassThru" — set the
 *   valves' outputs so), then 216 as for one section; 216 off leaves the valves as they are.
 */
export type Firmware = 'px4' | 'ardupilot';
export const FIRMWARES: readonly Firmware[] = ['px4', 'ardupilot'];

export const MAV_AUTOPILOT: Record<Firmware, number> = { ardupilot: 3, px4: 12 };

/** MAVLink pump commands we write and read back. */
export const PUMP_CMD = { DO_SPRAYER: 216, DO_SET_ACTUATOR: 187, DO_SET_SERVO: 183 } as const;

/** ArduPilot section valves: PWM open / closed, and the first servo output when the catalogue names none. */
export const SECTION_PWM = { open: 1900, closed: 1100 } as const;
export const SECTION_SERVO_FIRST = 9;
/** PX4: sections one 187 item can set */
export const PX4_MAX_SECTIONS = 6;

/** The servo output of each of `k` section valves: the catalogue's, else consecutive from SECTION_SERVO_FIRST. */
export const sectionChannels = (k: number, channels?: number[]) =>
  Array.from({ length: k }, (_, j) => channels?.[j] ?? SECTION_SERVO_FIRST + j);

/**
 * The items that open `open` (one flag per section, left to right) and start spraying, or (`open`
 * all false) stop it, on a drone with several sections.
 */
export function sectionItems(
  fw: Firmware,
  open: boolean[],
  channels: number[],
): Array<{ command: number; params: Array<number | null> }> {
  const on = open.some(Boolean);
  if (fw === 'px4') {
    const p: Array<number | null> = [null, null, null, null, null, null, 0];
    open.forEach((o, j) => (p[j] = o ? 1 : -1));
    return [{ command: PUMP_CMD.DO_SET_ACTUATOR, params: p }];
  }
  if (!on) return [pumpItem(fw, false)];
  return [
    ...open.map((o, j) => ({
      command: PUMP_CMD.DO_SET_SERVO,
      params: [channels[j]!, o ? SECTION_PWM.open : SECTION_PWM.closed, 0, 0, 0, 0, 0],
    })),
    pumpItem(fw, true),
  ];
}

/** The 7 params of the pump item of a firmware; `null` is how QGroundControl writes NaN. */
export function pumpItem(fw: Firmware, on: boolean): { command: number; params: Array<number | null> } {
  if (fw === 'ardupilot') return { command: PUMP_CMD.DO_SPRAYER, params: [on ? 1 : 0, 0, 0, 0, 0, 0, 0] };
  return { command: PUMP_CMD.DO_SET_ACTUATOR, params: [on ? 1 : -1, null, null, null, null, null, 0] };
}

/**
 * Spray state after a pump item, or undefined when the item does not touch actuator 1 / the
 * sprayer. A 187 item that sets actuator 1 sprays when any of the actuators it sets is on (a
 * sectional boom with its first section closed still sprays).
 */
export function pumpState(command: number, params: Array<number | null>): boolean | undefined {
  if (command === PUMP_CMD.DO_SPRAYER) return params[0] === 1;
  if (command === PUMP_CMD.DO_SET_ACTUATOR && (params[6] ?? 0) === 0 && typeof params[0] === 'number')
    return params.slice(0, 6).some((v) => typeof v === 'number' && v > 0);
  return undefined;
}

/** The open sections a 187 item sets (actuators 1…6 up to the first NaN), or undefined for a pump item of one. */
export function sectionState(command: number, params: Array<number | null>): boolean[] | undefined {
  if (command !== PUMP_CMD.DO_SET_ACTUATOR || (params[6] ?? 0) !== 0) return undefined;
  const set: boolean[] = [];
  for (const v of params.slice(0, 6)) {
    if (typeof v !== 'number') break;
    set.push(v > 0);
  }
  return set.length > 1 ? set : undefined;
}

export function firmwareOfType(firmwareType: number | undefined): Firmware | undefined {
  return firmwareType === MAV_AUTOPILOT.ardupilot
    ? 'ardupilot'
    : firmwareType === MAV_AUTOPILOT.px4
      ? 'px4'
      : undefined;
}
