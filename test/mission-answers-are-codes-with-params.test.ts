import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer } from './support/memory-app.js';

type Built = Awaited<ReturnType<typeof buildMemoryApp>>;
let built: Built | undefined;
afterEach(async () => {
  await built?.app.close();
  built = undefined;
});

const isCoded = (x: unknown) =>
  typeof (x as { code?: unknown }).code === 'string' && typeof (x as { params?: unknown }).params === 'object';

describe('what the mission API says is codes and params', () => {
  it('gives warnings, weather findings, field issues and refusals as {code, params}', async () => {
    built = await buildMemoryApp();
    const tech = await bearer(built.app, 'kythuat');
    const post = (url: string, payload: object) => built!.app.inject({ method: 'POST', url, headers: tech, payload });
    const m = (
      await post('/api/v1/missions', {
        fieldId: 'field-farm-dai-an-1',
        droneId: 'drone-10l',
        productId: 'tricyclazole',
      })
    ).json();
    expect(m.warnings.length).toBeGreaterThan(0);
    for (const w of m.warnings) expect(isCoded(w), JSON.stringify(w)).toBe(true);
    expect(m.warnings).toContainEqual({ code: 'PLAN_SEVERAL_SORTIES', params: { sorties: m.metrics.sorties } });

    const windy = (await post(`/api/v1/missions/${m.id}/approve`, { windMps: 9, rainProbability: 0.4 })).json();
    expect(windy.error).toBe('WEATHER_REFUSED');
    expect(windy.findings.map((f: { code: string }) => f.code)).toEqual(['WIND_OVER_LIMIT', 'RAIN_POSSIBLE']);
    expect(windy.findings[0].params).toMatchObject({ windMps: 9, maxWindMps: 5 });
    expect(windy.findings[1].params).toMatchObject({ rainProbability: 0.4 });

    const crossed = (
      await post('/api/v1/fields', {
        farmId: 'farm-dai-an-1',
        geojson: {
          type: 'Polygon',
          coordinates: [
            [
              [106.15, 9.55],
              [106.152, 9.552],
              [106.152, 9.55],
              [106.15, 9.552],
              [106.15, 9.55],
            ],
          ],
        },
      })
    ).json();
    expect(crossed).toMatchObject({
      error: 'FIELD_SELF_INTERSECTION',
      params: { lon: expect.any(Number), lat: expect.any(Number) },
    });
    expect(crossed.issues[0]).toMatchObject({
      code: 'FIELD_SELF_INTERSECTION',
      path: 'field.boundary',
      params: { ring: 0 },
    });

    const flow = (
      await post('/api/v1/missions', {
        fieldId: 'field-farm-dai-an-1',
        droneId: 'drone-10l',
        productId: 'tricyclazole',
        rateLPerHa: 100,
      })
    ).json();
    expect(flow).toMatchObject({
      error: 'PLAN_FLOW_EXCEEDED',
      params: { maxFlowLpm: 2.4, flowLpm: expect.any(Number), maxSpeedMps: expect.any(Number) },
    });
    const twice = (await post(`/api/v1/missions/${m.id}/fly`, {})).json();
    expect(twice).toMatchObject({ error: 'MISSION_INVALID_TRANSITION', params: { state: 'draft', action: 'fly' } });
  });
});
