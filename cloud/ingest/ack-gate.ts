import type { MqttClient } from 'mqtt';

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

/**
 * Holds back the PUBACK of QoS 1 messages until they are durably stored or spooled.
 *
 * mqtt.js hands incoming messages over strictly one at a time and sends the PUBACK when the
 * handler finishes (customHandleAcks / handleMessage): acknowledging after a batched write
 * through that API would let only one message be in flight. So the gate intercepts the
 * client's PUBACK on its way out, lets mqtt.js go on reading, and sends the PUBACK when the
 * ingest releases the message. A PUBACK held over a disconnect is dropped: the broker
 * redelivers the message to the persistent session, and the idempotent store absorbs it.
 */
export class AckGate {
  private readonly held = new Map<number, () => void>();
  private readonly deferred = new Set<number>();
  private generation = 0;

  /**
   * `readNext(next)`: called where mqtt.js would read the next packet after a held PUBACK; call
   * `next` now, or later to hold reading back (the ingest does while too much waits for the store)
   */
  constructor(
    client: MqttClient,
    private readonly readNext: (next: () => void) => void = (next) => next(),
  ) {
    const c = client as unknown as { _sendPacket: SendPacket };
    const send = c._sendPacket.bind(client);
    c._sendPacket = (packet, cb, ...rest) => {
      const id = packet.messageId;
      if (packet.cmd === 'puback' && id !== undefined && this.deferred.has(id)) {
        this.deferred.delete(id);
        this.held.set(id, () => send(packet, undefined, ...rest));
        // let mqtt.js read the next packet (now, unless the ingest holds reading back); the PUBACK leaves later
        this.readNext(() => cb?.());
        return;
      }
      send(packet, cb, ...rest);
    };
    client.on('close', () => {
      this.generation++;
      this.held.clear();
      this.deferred.clear();
    });
  }

  /** Call from the 'message' handler: this message's PUBACK waits for release(). */
  defer(messageId: number): number {
    this.deferred.add(messageId);
    return this.generation;
  }

  /** Sends the held PUBACK, unless the connection it belongs to is gone. */
  release(messageId: number, generation: number): void {
    if (generation !== this.generation) return;
    const send = this.held.get(messageId);
    if (send) {
      this.held.delete(messageId);
      send();
    } else {
      // released before mqtt.js asked to send it: let it through when it does
      this.deferred.delete(messageId);
    }
  }

  get pending(): number {
    return this.held.size;
  }
}
