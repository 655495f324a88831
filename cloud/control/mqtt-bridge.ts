import type { MqttClient } from 'mqtt';
import { decodePayload, filters as topicFilters } from '../../protocol/index.js';
import { log } from '../../lib/log.js';
import { toControl } from './uplink-consumer.js';
import type { ControlService, PublishFn } from './service.js';

const logger = log.child({ mod: 'control-bridge' });

/** A PublishFn on an mqtt.js client. */
export function mqttPublisher(client: MqttClient): PublishFn {
  return async (topic, payload, opts) => {
    await client.publishAsync(topic, payload, opts);
  };
}

/**
 * Decodes one uplink message and hands it to the control service. Only for a control plane
 * without the cloud's ingest (the memory app of the browser tests); the cloud itself registers
 * controlConsumer on its ingest, which decodes each message once.
 */
export async function routeUplink(control: ControlService, topic: string, payload: Uint8Array | string): Promise<void> {
  const d = decodePayload(topic, payload);
  if (d.ok) await toControl(control, d.message);
}

/**
 * Subscribes an mqtt.js client to every gateway's uplink and feeds the control service (see
 * routeUplink: not used by the cloud service). Returns a function that unsubscribes.
 */
export async function bridgeControlToMqtt(client: MqttClient, control: ControlService): Promise<() => Promise<void>> {
  const filters = [...topicFilters.gatewayUplink];
  const onMessage = (topic: string, payload: Buffer) => {
    routeUplink(control, topic, payload).catch((err) => logger.warn({ err, topic }, 'uplink not handled'));
  };
  client.on('message', onMessage);
  await client.subscribeAsync(filters, { qos: 1 });
  return async () => {
    client.off('message', onMessage);
    await client.unsubscribeAsync(filters);
  };
}
