/**
 * MQTT topic namespace of Ruộng Số. Every component builds and parses topics here;
 * nobody re-types a topic string.
 *
 *   ruongso/v1/gw/{gatewayId}/state        retained birth / last will
 *   ruongso/v1/gw/{gatewayId}/telemetry    QoS 1 batched readings
 *   ruongso/v1/gw/{gatewayId}/event        QoS 1 decisions, faults, interlocks
 *   ruongso/v1/gw/{gatewayId}/config       retained, cloud → edge
 *   ruongso/v1/gw/{gatewayId}/config/ack   edge → cloud
 *   ruongso/v1/gw/{gatewayId}/cmd          cloud → edge
 *   ruongso/v1/gw/{gatewayId}/cmd/ack      edge → cloud
 *   ruongso/v1/drone/{droneId}/telemetry   as-applied log
 *   ruongso/v1/mission/{missionId}/status  spray mission status (approved → neighbour notices)
 *   ruongso/v1/host/{hostId}/state         retained ingest-host state (Sparkplug B STATE), will offline
 */
export const ROOT = 'ruongso/v1';

/** Ids become topic levels: no `/`, `+`, `#`, no spaces; lower-case for stable ACLs. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Logins of the cloud's own services. A broker login is bound to one client id (its username), so
 * a gateway or drone registered under one of these names could take over that service's session:
 * they are refused at provisioning and at the broker.
 */
export const SERVICE_LOGINS = [
  'cloud',
  'nodered',
  'node-red',
  'admin',
  'ingest',
  'root',
  'mosquitto',
  'broker',
  'web',
  'api',
  'host',
] as const;
const SERVICE_PREFIXES = [
  'cloud-',
  'cloud_',
  'ingest-',
  'ingest_',
  'nodered-',
  'drone-',
  'drone_',
  'ruongso-',
  'ruongso_',
];

/** True for a name no gateway may have: a service login, or one in a service's or drones' namespace. */
export function isReservedLogin(name: string): boolean {
  return (SERVICE_LOGINS as readonly string[]).includes(name) || SERVICE_PREFIXES.some((p) => name.startsWith(p));
}

/** Ingest host id used in the host-state topic when none is configured. */
export const DEFAULT_HOST_ID = 'ingest';

export const GATEWAY_CHANNELS = ['state', 'telemetry', 'event', 'config', 'config/ack', 'cmd', 'cmd/ack'] as const;
export type GatewayChannel = (typeof GATEWAY_CHANNELS)[number];
export const DRONE_CHANNELS = ['telemetry'] as const;
export type DroneChannel = (typeof DRONE_CHANNELS)[number];
export const MISSION_CHANNELS = ['status'] as const;
export type MissionChannel = (typeof MISSION_CHANNELS)[number];

export type ParsedTopic =
  | { kind: 'gw'; gatewayId: string; channel: GatewayChannel }
  | { kind: 'drone'; droneId: string; channel: DroneChannel }
  | { kind: 'mission'; missionId: string; channel: MissionChannel }
  | { kind: 'host'; hostId: string; channel: 'state' };

function checkId(id: string, what: string): string {
  if (!ID_PATTERN.test(id)) {
    throw new TypeError(
      `${what} "${id}" is not a valid id: use 1–64 of a-z, 0-9, "-" or "_", starting with a letter or digit`,
    );
  }
  return id;
}

export function gatewayTopic(gatewayId: string, channel: GatewayChannel): string {
  return `${ROOT}/gw/${checkId(gatewayId, 'gateway id')}/${channel}`;
}

export function droneTopic(droneId: string, channel: DroneChannel = 'telemetry'): string {
  return `${ROOT}/drone/${checkId(droneId, 'drone id')}/${channel}`;
}

export function missionTopic(missionId: string, channel: MissionChannel = 'status'): string {
  return `${ROOT}/mission/${checkId(missionId, 'mission id')}/${channel}`;
}

export const topics = {
  state: (gw: string) => gatewayTopic(gw, 'state'),
  telemetry: (gw: string) => gatewayTopic(gw, 'telemetry'),
  event: (gw: string) => gatewayTopic(gw, 'event'),
  config: (gw: string) => gatewayTopic(gw, 'config'),
  configAck: (gw: string) => gatewayTopic(gw, 'config/ack'),
  cmd: (gw: string) => gatewayTopic(gw, 'cmd'),
  cmdAck: (gw: string) => gatewayTopic(gw, 'cmd/ack'),
  drone: (drone: string) => droneTopic(drone, 'telemetry'),
  missionStatus: (mission: string) => missionTopic(mission, 'status'),
  /** retained {online, ts}: gateways send telemetry only while it says online */
  hostState: (host: string = DEFAULT_HOST_ID) => `${ROOT}/host/${checkId(host, 'host id')}/state`,
} as const;

/** Subscription filters. */
export const filters = {
  /** everything every gateway publishes or receives */
  allGateways: `${ROOT}/gw/+/#`,
  /** edge → cloud channels, one filter each (what the cloud ingest subscribes to) */
  gatewayUplink: ['state', 'telemetry', 'event', 'config/ack', 'cmd/ack'].map((c) => `${ROOT}/gw/+/${c}`),
  allDrones: `${ROOT}/drone/+/telemetry`,
  allMissionStatus: `${ROOT}/mission/+/status`,
  /** every ingest host's retained state (what a gateway subscribes to before sending telemetry) */
  hostStates: `${ROOT}/host/+/state`,
  /** what one gateway subscribes to */
  gatewayDownlink: (gw: string) => [gatewayTopic(gw, 'config'), gatewayTopic(gw, 'cmd')],
  /** the only subtree a gateway's credentials may touch (broker ACL) */
  gatewaySubtree: (gw: string) => `${ROOT}/gw/${checkId(gw, 'gateway id')}/#`,
  droneSubtree: (drone: string) => `${ROOT}/drone/${checkId(drone, 'drone id')}/#`,
} as const;

/** MQTT 5 / Mosquitto ≥ 1.6 shared subscription: instances in one group split the messages. */
export function sharedFilter(group: string, filter: string): string {
  return `$share/${group}/${filter}`;
}

/** Parses a topic of our namespace; anything else (other root, bad id, unknown channel) is null. */
export function parseTopic(topic: string): ParsedTopic | null {
  if (!topic.startsWith(`${ROOT}/`)) return null;
  const rest = topic.slice(ROOT.length + 1).split('/');
  const [kind, id, ...channelParts] = rest;
  if (!id || !ID_PATTERN.test(id)) return null;
  const channel = channelParts.join('/');
  if (kind === 'gw' && (GATEWAY_CHANNELS as readonly string[]).includes(channel)) {
    return { kind: 'gw', gatewayId: id, channel: channel as GatewayChannel };
  }
  if (kind === 'drone' && (DRONE_CHANNELS as readonly string[]).includes(channel)) {
    return { kind: 'drone', droneId: id, channel: channel as DroneChannel };
  }
  if (kind === 'host' && channel === 'state') return { kind: 'host', hostId: id, channel: 'state' };
  if (kind === 'mission' && (MISSION_CHANNELS as readonly string[]).includes(channel)) {
    return { kind: 'mission', missionId: id, channel: channel as MissionChannel };
  }
  return null;
}
