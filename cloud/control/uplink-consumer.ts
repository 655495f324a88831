import type { DecodedMessage } from '../../protocol/index.js';
import type { UplinkConsumer } from '../ingest/sink.js';
import type { ControlService } from './service.js';

/** Hands one decoded uplink message to the control plane (live state, acks, the live stream). */
export async function toControl(control: ControlService, m: DecodedMessage): Promise<void> {
  if (m.kind !== 'gw') return;
  const gw = m.gatewayId;
  switch (m.channel) {
    case 'state':
      control.onState(gw, m.payload);
      break;
    case 'telemetry':
      control.onTelemetry(gw, m.payload);
      break;
    case 'event':
      await control.onEvent(gw, m.payload);
      break;
    case 'config/ack':
      await control.onConfigAck(gw, m.payload);
      break;
    case 'cmd/ack':
      await control.onCmdAck(gw, m.payload);
      break;
    default:
      break;
  }
}

/** The control plane as a consumer of the ingest's pipeline. */
export function controlConsumer(control: ControlService): UplinkConsumer {
  return (m) => toControl(control, m);
}
