import { afterEach, describe, expect, it } from 'vitest';
import type { Command, GatewayConfig } from '../protocol/index.js';
import { initialState } from './control/index.js';
import { LocalControl, localRequest, type LocalControlTarget } from './local-control.js';

const NOW = Date.UTC(2026, 2, 10, 5, 0);

function fakeGateway(outcome: 'done' | 'rejected' = 'done') {
  const received: Command[] = [];
  const state = initialState();
  state.valves.v1 = { open: true, since: NOW - 60_000 };
  state.valves.v2 = { open: false, since: NOW - 120_000 };
  state.pumps.p1 = { on: true, since: NOW - 60_000 };
  const gw: LocalControlTarget = {
    file: { gatewayId: 'gw-local-1' },
    config: {
      version: 7,
      zones: [
        { id: 'z1', name: 'Ruộng 1', mode: 'awd', valves: ['v1'] },
        { id: 'z2', mode: 'off', valves: ['v2'] },
      ],
    } as unknown as GatewayConfig,
    state,
    uplinkConnected: false,
    command: async (c) => {
      received.push(c);
      return outcome === 'done' ? { outcome } : { outcome, reason: 'blocked: intake salinity 3.4‰ > 2.0‰' };
    },
  };
  return { gw, received };
}

const servers: LocalControl[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function serve(gw: LocalControlTarget): Promise<string> {
  const s = new LocalControl(gw, { host: '127.0.0.1', port: 0, clock: { now: () => NOW } });
  servers.push(s);
  return s.start();
}

async function post(url: string, body: string) {
  const res = await fetch(`${url}/cmd`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('LocalControl', () => {
  it('passes an open to the gateway with a local id and a short expiry filled in', async () => {
    const { gw, received } = fakeGateway();
    const url = await serve(gw);
    const r = await localRequest(url, 'POST', '/cmd', { kind: 'open', zone: 'z1', minutes: 10 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ outcome: 'done', id: expect.stringMatching(/^local-/) });
    expect(received).toEqual([
      { kind: 'open', zone: 'z1', minutes: 10, id: r.body.id, issuedAt: NOW, expiresAt: NOW + 60_000, by: 'local' },
    ]);
  });

  it('passes close by valve and stop-all', async () => {
    const { gw, received } = fakeGateway();
    const url = await serve(gw);
    expect((await post(url, '{"kind":"close","valve":"v2"}')).status).toBe(200);
    expect((await post(url, '{"kind":"stop-all"}')).status).toBe(200);
    expect(received.map((c) => [c.kind, 'valve' in c ? c.valve : undefined])).toEqual([
      ['close', 'v2'],
      ['stop-all', undefined],
    ]);
  });

  it('passes resume for a zone, a valve, or every valve', async () => {
    const { gw, received } = fakeGateway();
    const url = await serve(gw);
    for (const body of ['{"kind":"resume","zone":"z1"}', '{"kind":"resume","valve":"v2"}', '{"kind":"resume"}'])
      expect((await post(url, body)).status).toBe(200);
    expect((await post(url, '{"kind":"resume","zone":"z1","valve":"v2"}')).status).toBe(400);
    expect(received.map((c) => [c.kind, 'zone' in c ? c.zone : undefined, 'valve' in c ? c.valve : undefined])).toEqual(
      [
        ['resume', 'z1', undefined],
        ['resume', undefined, 'v2'],
        ['resume', undefined, undefined],
      ],
    );
  });

  it.each([
    ['not JSON', 'open z1', /body is not JSON/],
    ['an unknown kind', '{"kind":"flood"}', /bad command: kind/],
    ['an open with neither zone nor valve', '{"kind":"open","minutes":5}', /zone: open needs a zone or a valve/],
    ['an open without minutes', '{"kind":"open","zone":"z1"}', /minutes/],
    ['negative minutes', '{"kind":"open","zone":"z1","minutes":-3}', /minutes/],
    ['both zone and valve', '{"kind":"close","zone":"z1","valve":"v1"}', /not both/],
    ['an id the caller made up', '{"kind":"stop-all","id":"x"}', /Unrecognized key/i],
  ])('answers 400 with a clear message to %s, and commands nothing', async (_what, body, message) => {
    const { gw, received } = fakeGateway();
    const url = await serve(gw);
    const r = await post(url, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
    expect(received).toEqual([]);
  });

  it('answers 409 with the reason when the gateway refuses the command', async () => {
    const { gw } = fakeGateway('rejected');
    const url = await serve(gw);
    const r = await post(url, '{"kind":"open","valve":"v1","minutes":5}');
    expect(r).toEqual({
      status: 409,
      body: { id: expect.any(String), outcome: 'rejected', reason: 'blocked: intake salinity 3.4‰ > 2.0‰' },
    });
  });

  it('reports zones, open valves, running pumps, the config version and the uplink', async () => {
    const { gw } = fakeGateway();
    const url = await serve(gw);
    const r = await localRequest(url, 'GET', '/status');
    expect(r).toEqual({
      status: 200,
      body: {
        gatewayId: 'gw-local-1',
        configVersion: 7,
        uplinkConnected: false,
        zones: [
          { id: 'z1', name: 'Ruộng 1', mode: 'awd', valves: [{ id: 'v1', open: true, since: NOW - 60_000 }] },
          { id: 'z2', mode: 'off', valves: [{ id: 'v2', open: false, since: NOW - 120_000 }] },
        ],
        valvesOpen: ['v1'],
        pumpsOn: ['p1'],
      },
    });
  });

  it('answers 404 and 405 elsewhere, and 413 to a huge body', async () => {
    const { gw, received } = fakeGateway();
    const url = await serve(gw);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/cmd`)).status).toBe(405);
    expect((await post(url, JSON.stringify({ kind: 'stop-all', pad: 'x'.repeat(40_000) }))).status).toBe(413);
    expect(received).toEqual([]);
  });

  it('fails to start with a message naming the port when it is taken', async () => {
    const { gw } = fakeGateway();
    const url = await serve(gw);
    const second = new LocalControl(gw, { host: '127.0.0.1', port: Number(new URL(url).port) });
    await expect(second.start()).rejects.toMatchObject({
      code: 'LOCAL_CONTROL_LISTEN',
      message: expect.stringMatching(/local\.port/),
    });
  });

  it('tells the person that no gateway answers when none listens', async () => {
    const { gw } = fakeGateway();
    const s = new LocalControl(gw, { host: '127.0.0.1', port: 0 });
    const url = await s.start();
    await s.stop();
    await expect(localRequest(url, 'GET', '/status')).rejects.toMatchObject({ code: 'LOCAL_CONTROL_UNREACHABLE' });
  });
});

describe('the gateway file key local', () => {
  const minimal = (local?: unknown) => ({
    gatewayId: 'gw-1',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    buses: [{ id: 'b', url: 'tcp://127.0.0.1:5020' }],
    ...(local === undefined ? {} : { local }),
  });

  it('is on by default at 127.0.0.1:8787, can be turned off, and refuses a host that is not loopback', async () => {
    const { parseGatewayFile } = await import('./config.js');
    expect(parseGatewayFile(minimal(), 't', '/', {}).local).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(parseGatewayFile(minimal(false), 't', '/', {}).local).toBe(false);
    expect(parseGatewayFile(minimal({ port: 9000 }), 't', '/', {}).local).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(() => parseGatewayFile(minimal({ host: '0.0.0.0' }), 't', '/', {})).toThrow(
      /local\.host: local\.host must be a loopback address/,
    );
  });
});
