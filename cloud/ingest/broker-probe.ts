import type { MqttClient } from 'mqtt';

/**
 * Does the broker split `$share/group/…` subscriptions between subscribers? Mosquitto ≥ 1.6
 * does and says who it is on the retained `$SYS/broker/version`; Aedes (the embedded broker)
 * does not and stays silent there, so silence means no. Other brokers: set `shared` explicitly.
 */
export async function detectSharedSubscriptions(client: MqttClient, timeoutMs = 1000): Promise<boolean> {
  const topic = '$SYS/broker/version';
  let version = '';
  const onMessage = (t: string, payload: Buffer) => {
    if (t === topic) version = payload.toString();
  };
  client.on('message', onMessage);
  try {
    await client.subscribeAsync(topic, { qos: 0 });
    const deadline = Date.now() + timeoutMs;
    while (!version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await client.unsubscribeAsync(topic).catch(() => undefined);
  } catch {
    return false;
  } finally {
    client.removeListener('message', onMessage);
  }
  const m = /mosquitto version (\d+)\.(\d+)/i.exec(version);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 1 || (major === 1 && minor >= 6);
}
