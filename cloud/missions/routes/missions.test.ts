import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer } from '../../../test/support/memory-app.js';

type Built = Awaited<ReturnType<typeof buildMemoryApp>>;
let built: Built | undefined;
afterEach(async () => {
  await built?.app.close();
  built = undefined;
});

describe('mission routes', () => {
  it("plans a mission on a field of the technician's cooperative, approves it and exports a .plan", async () => {
    built = await buildMemoryApp();
    const tech = await bearer(built.app, 'kythuat');
    const fields = (await built.app.inject({ url: '/api/v1/fields', headers: tech })).json().fields;
    expect(fields.map((f: { farmId: string }) => f.farmId)).toEqual(['farm-dai-an-1', 'farm-dai-an-2']);
    const res = await built.app.inject({
      method: 'POST',
      url: '/api/v1/missions',
      headers: tech,
      payload: { fieldId: fields[0].id, droneId: 'drone-10l', productId: 'tricyclazole' },
    });
    expect(res.statusCode).toBe(201);
    const m = res.json();
    expect(m.metrics.sprayableAreaHa).toBeGreaterThan(1.5);
    expect(m.metrics.litres).toBeGreaterThan(20);
    expect(
      (await built.app.inject({ method: 'POST', url: `/api/v1/missions/${m.id}/approve`, headers: tech })).json()
        .status,
    ).toBe('approved');
    expect(
      (await built.app.inject({ method: 'POST', url: `/api/v1/missions/${m.id}/approve`, headers: tech })).statusCode,
    ).toBe(409);
    const plan = await built.app.inject({ url: `/api/v1/missions/${m.id}/export.plan?sortie=1`, headers: tech });
    expect(plan.headers['content-disposition']).toMatch(/\.plan"/);
    expect(plan.json().fileType).toBe('Plan');
    const kml = await built.app.inject({ url: `/api/v1/missions/${m.id}/export.kml`, headers: tech });
    expect(kml.body).toContain('<kml');
    const audit = (await built.app.inject({ url: '/api/v1/audit', headers: tech })).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['mission.approve', 'mission.plan']);
  });

  it('answers 403 to farmers and officers and 400 to a bad body or a drone that cannot pump the rate', async () => {
    built = await buildMemoryApp();
    for (const who of ['nongdan', 'canbo']) {
      const h = await bearer(built.app, who);
      expect((await built.app.inject({ url: '/api/v1/fields', headers: h })).statusCode).toBe(403);
      expect((await built.app.inject({ url: '/api/v1/missions/options', headers: h })).statusCode).toBe(403);
      expect(
        (
          await built.app.inject({
            method: 'POST',
            url: '/api/v1/missions',
            headers: h,
            payload: { fieldId: 'x', droneId: 'y', productId: 'z' },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (await built.app.inject({ method: 'POST', url: '/api/v1/missions/x/approve', headers: h })).statusCode,
      ).toBe(403);
      expect((await built.app.inject({ url: '/api/v1/missions/x/export.plan', headers: h })).statusCode).toBe(403);
    }
    const tech = await bearer(built.app, 'kythuat');
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/missions',
          headers: tech,
          payload: { fieldId: 'field-farm-dai-an-1' },
        })
      ).statusCode,
    ).toBe(400);
    const tooMuch = await built.app.inject({
      method: 'POST',
      url: '/api/v1/missions',
      headers: tech,
      payload: { fieldId: 'field-farm-dai-an-1', droneId: 'drone-10l', productId: 'tricyclazole', rateLPerHa: 100 },
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error).toBe('PLAN_FLOW_EXCEEDED');
    expect((await built.app.inject({ url: '/api/v1/missions/x/export.docx', headers: tech })).statusCode).toBe(400);
    // another cooperative's field is not there for this technician
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/missions',
          headers: tech,
          payload: { fieldId: 'field-farm-lich-hoi-1', droneId: 'drone-10l', productId: 'tricyclazole' },
        })
      ).statusCode,
    ).toBe(404);
  });
});
