import type { MqttClient } from 'mqtt';
import { decodePayload, filters as topicFilters, type CommandAck, type ConfigAck, type GatewayEvent, type GatewayState, type Telemetry } from '../../../protocol/index.js';
import { log } from '../../../lib/log.js';
import type { ControlService, PublishFn } from './service.js';

const logger = log.child({ mod: 'control-bridge' });

/** A PublishFn on an mqtt.js client. */
export function mqttPublisher(client: MqttClient): PublishFn {
  return async (topic, payload, opts) => { await client.publishAsync(topic, payload, opts); };
}

/**
 * Routes one decoded uplink message to the control service. Ingest calls this for every
 * message it has validated (or mqtt-bridge's own subscription does, when ingest is not wired).
 */
export async function routeUplink(control: ControlService, topic: string, payload: Uint8Array | string): Promise<void> {
  const d = decodePayload(topic, payload);
  if (!d.ok || d.topic?.kind !== 'gw') return;
  const gw = d.topic.gatewayId;
  switch (d.topic.channel) {
    case 'state': control.onState(gw, d.payload as GatewayState); break;
    case 'telemetry': control.onTelemetry(gw, d.payload as Telemetry); break;
    case 'event': await control.onEvent(gw, d.payload as GatewayEvent); break;
    case 'config/ack': await control.onConfigAck(gw, d.payload as ConfigAck); break;
    case 'cmd/ack': await control.onCmdAck(gw, d.payload as CommandAck); break;
    default: break;
  }
}

/**
 * Subscribes an mqtt.js client to every gateway's uplink (plain, not shared: every cloud
 * instance needs acks and live state for its own SSE clients) and feeds the control service.
 * Returns a function that unsubscribes.
 */
export async function bridgeControlToMqtt(client: MqttClient, control: ControlService): Promise<() => Promise<void>> {
  const filters = [...topicFilters.gatewayUplink];
  const onMessage = (topic: string, payload: Buffer) => {
    routeUplink(control, topic, payload).catch((err) => logger.warn({ err, topic }, 'uplink not handled'));
  };
  client.on('message', onMessage);
  await client.subscribeAsync(filters, { qos: 1 });
  return async () => { client.off('message', onMessage); await client.unsubscribeAsync(filters); };
}
