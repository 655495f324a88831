import type { Registry } from '../registry/registry.js';

/**
 * The demo district: Trần Đề (Sóc Trăng), two communes, one cooperative, three farms each with a
 * gateway. Idempotent: a second start finds it and changes nothing.
 */
export const DEMO_ACTOR = 'demo-seed';

export const DEMO_UNITS = [
  { id: 'vn-st', parentId: null, level: 'province', name: 'Sóc Trăng' },
  { id: 'vn-st-tde', parentId: 'vn-st', level: 'district', name: 'Trần Đề' },
  { id: 'vn-st-tde-dai-an-2', parentId: 'vn-st-tde', level: 'commune', name: 'Đại Ân 2' },
  { id: 'vn-st-tde-lich-hoi-thuong', parentId: 'vn-st-tde', level: 'commune', name: 'Lịch Hội Thượng' },
  { id: 'vn-st-tde-dai-an-2-ap-1', parentId: 'vn-st-tde-dai-an-2', level: 'hamlet', name: 'Ấp Tiếp Nhựt' },
  { id: 'vn-st-tde-dai-an-2-ap-2', parentId: 'vn-st-tde-dai-an-2', level: 'hamlet', name: 'Ấp Phú Giao' },
  { id: 'vn-st-tde-lich-hoi-thuong-ap-1', parentId: 'vn-st-tde-lich-hoi-thuong', level: 'hamlet', name: 'Ấp Bưng Sa' },
] as const;

export const DEMO_LEVELS = [
  { level: 'province', rank: 1, nameVi: 'Tỉnh', nameEn: 'Province' },
  { level: 'district', rank: 2, nameVi: 'Huyện', nameEn: 'District' },
  { level: 'commune', rank: 3, nameVi: 'Xã', nameEn: 'Commune' },
  { level: 'hamlet', rank: 4, nameVi: 'Ấp', nameEn: 'Hamlet' },
] as const;

export const DEMO_COOPERATIVE = { id: 'htx-dai-an-2', name: 'HTX Nông nghiệp Đại Ân 2', unitId: 'vn-st-tde-dai-an-2' };

export const DEMO_FARMS = [
  {
    id: 'farm-tran-van-an',
    name: 'Ruộng ông Trần Văn An',
    owner: 'Trần Văn An',
    unitId: 'vn-st-tde-dai-an-2-ap-1',
    cooperativeId: DEMO_COOPERATIVE.id,
    areaHa: 2.4,
    gatewayId: 'gw-dai-an-01',
  },
  {
    id: 'farm-le-thi-hoa',
    name: 'Ruộng bà Lê Thị Hoa',
    owner: 'Lê Thị Hoa',
    unitId: 'vn-st-tde-dai-an-2-ap-2',
    cooperativeId: DEMO_COOPERATIVE.id,
    areaHa: 1.6,
    gatewayId: 'gw-dai-an-02',
  },
  {
    id: 'farm-thach-sa-phol',
    name: 'Ruộng ông Thạch Sa Phol',
    owner: 'Thạch Sa Phol',
    unitId: 'vn-st-tde-lich-hoi-thuong-ap-1',
    cooperativeId: DEMO_COOPERATIVE.id,
    areaHa: 3.1,
    gatewayId: 'gw-lich-hoi-01',
  },
] as const;

export async function seedDemoDistrict(registry: Registry): Promise<{ created: boolean }> {
  const existing = await registry.listFarms();
  const missing = DEMO_FARMS.filter((f) => !existing.some((e) => e.id === f.id));
  if (missing.length === 0) return { created: false };
  for (const l of DEMO_LEVELS) await registry.upsertUnitLevel(l, DEMO_ACTOR);
  for (const u of DEMO_UNITS) await registry.upsertUnit(u, DEMO_ACTOR);
  await registry.upsertCooperative(DEMO_COOPERATIVE, DEMO_ACTOR);
  for (const f of missing) {
    const { gatewayId, ...farm } = f;
    await registry.upsertFarm(farm, DEMO_ACTOR);
    await registry.upsertGateway({ id: gatewayId, farmId: f.id, name: `Gateway ${f.owner}` }, DEMO_ACTOR);
  }
  return { created: true };
}
