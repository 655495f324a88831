import area from '@turf/area';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer } from './support/memory-app.js';
import { routeFromGeoJson } from '../cloud/missions/export-geojson.js';
import { simulateFlight, type FlightOptions } from '../simulators/drone/flight.js';
import { buildMissionApp, type MissionApp } from './support/mission-app.js';

let built: MissionApp | undefined;
afterEach(async () => {
  await built?.close();
  built = undefined;
});

async function flownAndVerified(flight: Partial<FlightOptions>, verifyBody: Record<string, unknown> = {}) {
  built = await buildMissionApp();
  const tech = await bearer(built.app, 'kythuat');
  const post = (url: string, payload?: object) =>
    built!.app.inject({ method: 'POST', url, headers: tech, ...(payload ? { payload } : {}) });
  const m = (
    await post('/api/v1/missions', { fieldId: 'field-farm-dai-an-1', droneId: 'drone-30l', productId: 'tricyclazole' })
  ).json();
  await post(`/api/v1/missions/${m.id}/approve`, { windMps: 2 });
  await post(`/api/v1/missions/${m.id}/fly`, { droneId: 'drone-7' });
  const route = routeFromGeoJson(
    (await built.app.inject({ url: `/api/v1/missions/${m.id}/export.geojson`, headers: tech })).json(),
  );
  for (const { sortie, samples } of simulateFlight(route, {
    startTs: 1_764_300_100_000,
    seed: 3,
    windMps: 2,
    gpsNoiseM: 0.1,
    ...flight,
  })) {
    for (let i = 0; i < samples.length; i += 100)
      await built.sink.onDroneTelemetry!('drone-7', {
        bootId: 'b',
        seq: i,
        missionId: m.id,
        sortie,
        samples: samples.slice(i, i + 100),
      });
  }
  const v = await post(`/api/v1/missions/${m.id}/verify`, verifyBody);
  expect(v.statusCode, v.body).toBe(200);
  return { m, v: v.json(), post };
}

describe('verification verdict and respray', () => {
  it('passes a mission flown in full', async () => {
    const { v, post, m } = await flownAndVerified({});
    expect(v.verification).toMatchObject({
      verdict: 'pass',
      findings: [],
      thresholds: { minInTolerance: 0.85, maxMissedShare: 0.02 },
    });
    const r = await post(`/api/v1/missions/${m.id}/respray`);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ error: 'RESPRAY_NOTHING_MISSED', params: { verdict: 'pass' } });
  });

  it('says respray when the nozzles were blocked for two minutes, shows where, and builds the respray in one step', async () => {
    const { v, post, m } = await flownAndVerified({ nozzleFailure: { sortie: 1, fromS: 60, toS: 180 } });
    const rep = v.verification;
    expect(rep.verdict).toBe('respray');
    expect(rep.findings.map((f: { code: string }) => f.code)).toContain('VERIFY_MISSED_AREA');
    const missedM2 = area({ type: 'Feature', properties: {}, geometry: rep.missed });
    // 2 minutes at 6 m/s over a 7 m swath ≈ 5,000 m² unsprayed
    expect(missedM2).toBeGreaterThan(3_000);
    expect(missedM2).toBeCloseTo(rep.missedM2, -3);
    const r = await post(`/api/v1/missions/${m.id}/respray`, { name: 'phun bù' });
    expect(r.statusCode, r.body).toBe(201);
    const respray = r.json();
    expect(respray).toMatchObject({ state: 'draft', name: 'phun bù', fieldId: 'field-farm-dai-an-1' });
    // it covers the missed ground and little else
    expect(respray.metrics.sprayableAreaHa * 10_000).toBeGreaterThan(missedM2);
    expect(respray.metrics.sprayableAreaHa).toBeLessThan(m.metrics.sprayableAreaHa / 2);
    expect(respray.metrics.coverage).toBeGreaterThan(0.99);
  });

  it('applies the thresholds the cooperative sets', async () => {
    const { v } = await flownAndVerified({}, { minInTolerance: 0.999 });
    expect(v.verification.verdict).toBe('respray');
    expect(v.verification.findings[0]).toMatchObject({
      code: 'VERIFY_IN_TOLERANCE_LOW',
      params: { minInTolerance: 0.999 },
    });
  });
});
