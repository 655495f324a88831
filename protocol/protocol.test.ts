import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures/index.js';
import {
  Command,
  ConfigAck,
  CommandAck,
  DroneTelemetry,
  GatewayConfig,
  GatewayEvent,
  GatewayState,
  Telemetry,
  decodePayload,
  filters,
  parseTopic,
  sharedFilter,
  topics,
} from './index.js';

describe('topics', () => {
  it('builds and parses every gateway channel the same way', () => {
    for (const [build, channel] of [
      [topics.state, 'state'],
      [topics.telemetry, 'telemetry'],
      [topics.event, 'event'],
      [topics.config, 'config'],
      [topics.configAck, 'config/ack'],
      [topics.cmd, 'cmd'],
      [topics.cmdAck, 'cmd/ack'],
    ] as const) {
      expect(parseTopic(build('gw-dai-an-01'))).toEqual({ kind: 'gw', gatewayId: 'gw-dai-an-01', channel });
    }
    expect(parseTopic(topics.drone('drone-1'))).toEqual({ kind: 'drone', droneId: 'drone-1', channel: 'telemetry' });
  });

  it('refuses ids that would break a topic or an ACL', () => {
    for (const bad of ['', 'a/b', 'a+b', '#', 'GW1', 'a b', 'x'.repeat(65)]) {
      expect(() => topics.telemetry(bad)).toThrow(/not a valid id/);
    }
  });

  it('parses only our namespace', () => {
    expect(parseTopic('other/v1/gw/a/state')).toBeNull();
    expect(parseTopic('ruongso/v1/gw/a/unknown')).toBeNull();
    expect(parseTopic('ruongso/v1/gw/A!/state')).toBeNull();
    expect(parseTopic('ruongso/v2/gw/a/state')).toBeNull();
  });

  it('builds shared subscriptions and per-gateway subtrees', () => {
    expect(sharedFilter('ingest', filters.allGateways)).toBe('$share/ingest/ruongso/v1/gw/+/#');
    expect(filters.gatewaySubtree('gw1')).toBe('ruongso/v1/gw/gw1/#');
    expect(filters.gatewayDownlink('gw1')).toEqual(['ruongso/v1/gw/gw1/config', 'ruongso/v1/gw/gw1/cmd']);
  });
});

describe('payload schemas', () => {
  it('accept every canonical fixture', () => {
    expect(Telemetry.parse(fixture('telemetry')).readings).toHaveLength(5);
    expect(GatewayState.parse(fixture('state-birth')).online).toBe(true);
    expect(GatewayState.parse(fixture('state-will')).online).toBe(false);
    expect(GatewayEvent.parse(fixture('event-interlock')).reason).toContain('3.4‰');
    expect(GatewayEvent.parse(fixture('event-opened')).kind).toBe('valve_opened');
    expect(GatewayConfig.parse(fixture('config')).zones).toHaveLength(2);
    expect(ConfigAck.parse(fixture('config-ack-rejected')).reasons).toHaveLength(1);
    expect(ConfigAck.parse(fixture('config-ack-applied')).status).toBe('applied');
    expect(Command.parse(fixture('cmd-open')).kind).toBe('open');
    expect(Command.parse(fixture('cmd-stop-all')).kind).toBe('stop-all');
    expect(CommandAck.parse(fixture('cmd-ack')).outcome).toBe('done');
    expect(DroneTelemetry.parse(fixture('drone-telemetry')).samples).toHaveLength(2);
  });

  it('fills defaults into a config: salinity limit 2‰, AWD −15/+5 cm', () => {
    const cfg = GatewayConfig.parse({
      version: 1,
      zones: [
        {
          id: 'z',
          mode: 'awd',
          valves: ['v'],
          awd: {},
          sensors: { waterLevel: { sensor: 'wl', metric: 'water_level' } },
        },
      ],
    });
    expect(cfg.zones[0]!.salinityLimitPpt).toBe(2);
    expect(cfg.zones[0]!.awd).toMatchObject({ refloodCm: -15, targetCm: 5 });
  });

  it('rejects a config whose mode lacks what it needs, naming the field', () => {
    const r = GatewayConfig.safeParse({ version: 2, zones: [{ id: 'z', mode: 'awd', valves: ['v'] }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join()).toMatch(/awd settings/);
    const t = GatewayConfig.safeParse({
      version: 2,
      zones: [
        {
          id: 'z',
          mode: 'threshold',
          valves: ['v'],
          sensors: { soilMoisture: { sensor: 's', metric: 'soil_moisture' } },
          threshold: { refillPct: 40, fieldCapacityPct: 30 },
        },
      ],
    });
    expect(t.error!.issues[0]!.message).toMatch(/refillPct must be below/);
    const dup = GatewayConfig.safeParse({
      version: 2,
      zones: [
        { id: 'z', mode: 'off', valves: ['v'] },
        { id: 'z', mode: 'off', valves: ['w'] },
      ],
    });
    expect(dup.error!.issues[0]!.message).toMatch(/used twice/);
  });

  it('rejects timestamps in seconds, NaN values and good readings without a value', () => {
    const base = fixture<{ readings: Record<string, unknown>[] }>('telemetry');
    const seconds = { ...base, readings: [{ ...base.readings[0], ts: 1764288000 }] };
    expect(Telemetry.safeParse(seconds).error!.issues[0]!.message).toMatch(/got seconds/);
    expect(Telemetry.safeParse({ ...base, readings: [{ ...base.readings[0], value: null }] }).success).toBe(false);
    expect(Telemetry.safeParse({ ...base, readings: [] }).success).toBe(false);
  });

  it('rejects an open command without a target or that expires before it is issued', () => {
    const open = fixture<Record<string, unknown>>('cmd-open');
    expect(Command.safeParse({ ...open, zone: undefined }).success).toBe(false);
    expect(Command.safeParse({ ...open, expiresAt: open.issuedAt }).success).toBe(false);
  });
});

describe('decodePayload', () => {
  it('tells a wrong topic, non-JSON and a wrong schema apart', () => {
    expect(decodePayload('foo/bar', '{}')).toMatchObject({ ok: false, reason: 'topic' });
    expect(decodePayload(topics.telemetry('gw1'), 'not json')).toMatchObject({ ok: false, reason: 'json' });
    expect(decodePayload(topics.telemetry('gw1'), '{"seq":1}')).toMatchObject({ ok: false, reason: 'schema' });
    const ok = decodePayload(topics.telemetry('gw1'), Buffer.from(JSON.stringify(fixture('telemetry'))));
    expect(ok.ok).toBe(true);
  });
});

describe('a drone sample with nozzle sections', () => {
  const withSections = (sections: unknown) => {
    const msg = fixture<{ samples: Array<Record<string, unknown>> }>('drone-telemetry');
    return JSON.stringify({ ...msg, samples: msg.samples.map((s) => ({ ...s, sections })) });
  };

  it('keeps 1 to 8 open/closed sections through decoding', () => {
    const r = decodePayload(topics.drone('drone-1'), withSections([true, false, true, true]));
    expect(r.ok && r.message.kind === 'drone' && r.message.payload.samples[0]!.sections).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });

  it('refuses no sections, more than 8, and anything but booleans, naming the field', () => {
    for (const bad of [[], Array(9).fill(true), [1, 0], ['<b>open</b>'], 'true', { 0: true }]) {
      const r = decodePayload(topics.drone('drone-1'), withSections(bad));
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, reason: 'schema' });
      expect(r.ok ? '' : r.message).toContain('sections');
    }
  });
});
