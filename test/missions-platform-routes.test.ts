import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MissionStatus, topics } from '../protocol/index.js';
import { bearer } from './support/memory-app.js';
import { buildMissionApp, type MissionApp } from './support/mission-app.js';
import { simulateFlight } from '../simulators/drone/flight.js';
import { routeFromGeoJson } from '../cloud/missions/export-geojson.js';

const FIX = path.join(import.meta.dirname, '../cloud/missions/fixtures');
const fixture = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');
const FARM = 'farm-dai-an-1';

type Built = MissionApp;
let built: Built | undefined;
afterEach(async () => {
  await built?.close();
  built = undefined;
});
const build = buildMissionApp;

const post = (b: Built, url: string, headers: Record<string, string>, payload?: unknown) =>
  b.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('mission platform routes', () => {
  it('answers 403 to farmers and officers on every field and mission route', async () => {
    built = await build();
    for (const who of ['nongdan', 'canbo']) {
      const h = await bearer(built.app, who);
      for (const [method, url] of [
        ['GET', '/api/v1/fields'],
        ['GET', '/api/v1/fields/x'],
        ['POST', '/api/v1/fields'],
        ['GET', '/api/v1/missions'],
        ['GET', '/api/v1/missions/x'],
        ['POST', '/api/v1/missions/x/approve'],
        ['POST', '/api/v1/missions/x/fly'],
        ['POST', '/api/v1/missions/x/verify'],
        ['GET', '/api/v1/missions/x/verification'],
      ] as const) {
        const res = await built.app.inject({
          method,
          url,
          headers: h,
          ...(method === 'POST' ? { payload: { bogus: 1 } } : {}),
        });
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(403);
      }
    }
    expect((await built.app.inject({ url: '/api/v1/missions' })).statusCode).toBe(401);
  });

  it('imports fields from GeoJSON and KML, and names every validation problem with its code', async () => {
    built = await build();
    const tech = await bearer(built.app, 'kythuat');
    const kml = await post(built, '/api/v1/fields', tech, {
      farmId: FARM,
      file: fixture('field-holes.kml'),
      filename: 'thua-12.kml',
    });
    expect(kml.statusCode).toBe(201);
    expect(kml.json()).toMatchObject({ farmId: FARM, name: 'Thửa 12', createdBy: 'kythuat' });
    expect(kml.json().boundary.coordinates.length).toBeGreaterThan(1);
    const gj = await post(built, '/api/v1/fields', tech, {
      farmId: FARM,
      name: 'Canal field',
      geojson: JSON.parse(fixture('field-l-canal.geojson')),
    });
    expect(gj.statusCode).toBe(201);
    expect(gj.json().areaHa).toBeGreaterThan(0.5);
    expect((await built.app.inject({ url: `/api/v1/fields/${gj.json().id}`, headers: tech })).json().name).toBe(
      'Canal field',
    );
    const list = (await built.app.inject({ url: '/api/v1/fields', headers: tech }))
      .json()
      .fields.map((f: { id: string }) => f.id);
    expect(list).toEqual(expect.arrayContaining([kml.json().id, gj.json().id, 'field-farm-dai-an-1']));
    expect(list).not.toContain('field-farm-lich-hoi-1');

    for (const [file, code] of [
      ['self-intersecting.geojson', 'FIELD_SELF_INTERSECTION'],
      ['swapped.geojson', 'FIELD_LONLAT_SWAPPED'],
      ['unclosed.geojson', 'FIELD_RING_NOT_CLOSED'],
      ['tiny.geojson', 'FIELD_TOO_SMALL'],
      ['broken.kml', 'FIELD_PARSE_ERROR'],
      ['hole-outside.geojson', 'FIELD_HOLE_OUTSIDE'],
    ] as const) {
      const res = await post(built, '/api/v1/fields', tech, { farmId: FARM, file: fixture(file), filename: file });
      expect(res.statusCode, file).toBe(400);
      expect(res.json().error, file).toBe(code);
      expect(res.json().message.length).toBeGreaterThan(10);
    }
    const big = await post(built, '/api/v1/fields', tech, {
      farmId: FARM,
      file: ' '.repeat(2_100_000) + fixture('field-l-canal.geojson'),
    });
    expect(big.json().error).toBe('FIELD_FILE_TOO_LARGE');
    const crossed = await post(built, '/api/v1/fields', tech, {
      farmId: FARM,
      file: fixture('self-intersecting.geojson'),
    });
    expect(crossed.json().issues[0]).toMatchObject({ code: 'FIELD_SELF_INTERSECTION' });
    expect((await post(built, '/api/v1/fields', tech, { farmId: FARM })).statusCode).toBe(400);
    expect((await post(built, '/api/v1/fields', tech, { farmId: FARM, file: 'x', geojson: {} })).statusCode).toBe(400);
    expect(
      (await post(built, '/api/v1/fields', tech, { farmId: 'farm-lich-hoi-1', file: fixture('field-holes.kml') }))
        .statusCode,
    ).toBe(404);
    expect((await built.app.inject({ url: '/api/v1/fields/field-farm-lich-hoi-1', headers: tech })).statusCode).toBe(
      404,
    );
  });

  it('takes a mission from draft to verified: weather refused and warned, notice on approval, verified from the stored log', async () => {
    built = await build();
    const tech = await bearer(built.app, 'kythuat');
    const created = await post(built, '/api/v1/missions', tech, {
      fieldId: 'field-farm-dai-an-1',
      droneId: 'drone-30l',
      productId: 'tricyclazole',
      bufferM: 2,
      name: 'Đạo ôn đợt 1',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({
      state: 'draft',
      status: 'planned',
      allowedActions: ['approve'],
      farmId: FARM,
      name: 'Đạo ôn đợt 1',
    });

    const refused = await post(built, `/api/v1/missions/${id}/approve`, tech, { windMps: 7, rainProbability: 0.8 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toBe('WEATHER_REFUSED');
    expect(refused.json().findings.map((f: { code: string }) => f.code)).toEqual(['WIND_OVER_LIMIT', 'RAIN_LIKELY']);
    const warned = await post(built, `/api/v1/missions/${id}/approve`, tech, { windMps: 4.5 });
    expect(warned.statusCode).toBe(422);
    expect(warned.json()).toMatchObject({ error: 'WEATHER_WARNINGS', findings: [{ code: 'WIND_NEAR_LIMIT' }] });
    expect((await post(built, `/api/v1/missions/${id}/approve`, tech, { windMps: 'strong' })).statusCode).toBe(400);
    expect(built.published).toEqual([]);

    const approved = await post(built, `/api/v1/missions/${id}/approve`, tech, {
      windMps: 4.5,
      acceptWarnings: true,
      note: 'gió lặng dần',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', approvedBy: 'kythuat', noticePublished: true });
    expect(built.published).toHaveLength(1);
    expect(built.published[0]).toMatchObject({ topic: topics.missionStatus(id), qos: 1 });
    const notice = MissionStatus.parse(JSON.parse(built.published[0]!.payload));
    expect(notice).toMatchObject({ missionId: id, status: 'approved', farmId: FARM, by: 'kythuat' });
    expect(notice.window.end - notice.window.start).toBe(4 * 3_600_000);

    expect((await post(built, `/api/v1/missions/${id}/verify`, tech)).statusCode).toBe(409);
    const flown = await post(built, `/api/v1/missions/${id}/fly`, tech, { droneId: 'drone-7' });
    expect(flown.json()).toMatchObject({ state: 'flown', droneId: 'drone-7' });
    const noLog = await post(built, `/api/v1/missions/${id}/verify`, tech);
    expect(noLog.statusCode).toBe(422);
    expect(noLog.json().error).toBe('VERIFY_NO_LOG');

    const plan = routeFromGeoJson(
      (await built.app.inject({ url: `/api/v1/missions/${id}/export.geojson`, headers: tech })).json(),
    );
    for (const { sortie, samples } of simulateFlight(plan, {
      startTs: 1_764_300_100_000,
      seed: 2,
      windMps: 2,
      gpsNoiseM: 0.1,
    })) {
      for (let i = 0; i < samples.length; i += 100)
        await built.sink.onDroneTelemetry!('drone-7', {
          bootId: 'boot-1',
          seq: i,
          missionId: id,
          sortie,
          samples: samples.slice(i, i + 100),
        });
    }
    const verified = await post(built, `/api/v1/missions/${id}/verify`, tech, { cellM: 2 });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().state).toBe('verified');
    expect(verified.json().verification.inTolerance).toBeGreaterThan(0.85);
    expect(verified.json().history.map((e: { action: string; by: string }) => `${e.action}:${e.by}`)).toEqual([
      'create:kythuat',
      'approve:kythuat',
      'fly:kythuat',
      'verify:kythuat',
    ]);
    expect(verified.json().history[1].weather.verdict).toBe('warn');
    const layer = (await built.app.inject({ url: `/api/v1/missions/${id}/verification`, headers: tech })).json();
    expect(layer.report.samples).toBeGreaterThan(100);
    expect(layer.layer.features.length).toBeGreaterThan(1000);
    const listed = (await built.app.inject({ url: '/api/v1/missions?state=verified', headers: tech })).json().missions;
    expect(listed.map((m: { id: string }) => m.id)).toEqual([id]);
    expect(
      (await built.app.inject({ url: '/api/v1/missions', headers: await bearer(built.app, 'admin') })).json().missions,
    ).toHaveLength(1);
  });

  it('flies an uploaded QGroundControl .plan on a field and refuses what it cannot fly', async () => {
    built = await build({ requireWeather: true });
    const tech = await bearer(built.app, 'kythuat');
    const base = { fieldId: 'field-farm-dai-an-2', droneId: 'drone-30l', productId: 'tricyclazole' };
    const planned = (await post(built, '/api/v1/missions', tech, base)).json();
    expect((await post(built, `/api/v1/missions/${planned.id}/approve`, tech, { windMps: 2 })).statusCode).toBe(200);
    const files = (await built.app.inject({ url: `/api/v1/missions/${planned.id}/exports`, headers: tech }))
      .json()
      .files.filter((f: { format: string; firmware?: string }) => f.format === 'plan' && f.firmware === 'px4');
    const sorties = await Promise.all(
      files.map(async (f: { url: string }) => (await built!.app.inject({ url: f.url, headers: tech })).body),
    );
    const qgc = sorties[0]!;
    const up = await post(built, '/api/v1/missions', tech, { ...base, qgcPlan: sorties });
    expect(up.statusCode).toBe(201);
    expect(up.json().metrics.coverage).toBeGreaterThan(0.9);
    expect(up.json().metrics.litres).toBeCloseTo(planned.metrics.litres, -1);
    const withSurvey = JSON.parse(qgc);
    withSurvey.mission.items.splice(2, 0, { type: 'ComplexItem', complexItemType: 'survey' });
    const bad = await post(built, '/api/v1/missions', tech, { ...base, qgcPlan: withSurvey });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('QGC_UNSUPPORTED_ITEM');
    expect((await post(built, '/api/v1/missions', tech, { ...base, qgcPlan: '{not json' })).json().error).toBe(
      'QGC_PARSE_ERROR',
    );
    // a strict server refuses an approval without weather values
    const strict = await post(built, `/api/v1/missions/${up.json().id}/approve`, tech);
    expect(strict.statusCode).toBe(422);
    expect(strict.json().error).toBe('WEATHER_REFUSED');
  });

  it('reopens an approved mission to draft and tells the neighbours it is cancelled', async () => {
    built = await build();
    const tech = await bearer(built.app, 'kythuat');
    const id = (
      await post(built, '/api/v1/missions', tech, {
        fieldId: 'field-farm-dai-an-1',
        droneId: 'drone-30l',
        productId: 'tricyclazole',
      })
    ).json().id as string;
    expect((await post(built, `/api/v1/missions/${id}/reopen`, tech)).statusCode).toBe(409);
    // the first web app approves without weather values: recorded as a warning
    const approved = (await post(built, `/api/v1/missions/${id}/approve`, tech)).json();
    expect(approved.history[1].weather.findings[0].code).toBe('WEATHER_NOT_ENTERED');
    const reopened = await post(built, `/api/v1/missions/${id}/reopen`, tech, { note: 'mưa chiều' });
    expect(reopened.json()).toMatchObject({
      state: 'draft',
      status: 'planned',
      allowedActions: ['approve'],
      noticePublished: true,
    });
    expect(built.published.map((p) => MissionStatus.parse(JSON.parse(p.payload)).status)).toEqual([
      'approved',
      'cancelled',
    ]);
    expect((await post(built, `/api/v1/missions/${id}/approve`, tech, { windMps: 1 })).json().state).toBe('approved');
  });

  it('documents the new routes in OpenAPI', async () => {
    built = await build();
    const doc = built.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    for (const p of [
      '/api/v1/fields',
      '/api/v1/fields/{id}',
      '/api/v1/missions/{id}',
      '/api/v1/missions/{id}/approve',
      '/api/v1/missions/{id}/fly',
      '/api/v1/missions/{id}/reopen',
      '/api/v1/missions/{id}/verify',
      '/api/v1/missions/{id}/verification',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/api/v1/fields']!.post).toBeDefined();
  });
});
