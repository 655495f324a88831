import { gunzipSync } from 'node:zlib';
import { LAND_MASK } from './land-mask-data.js';

/**
 * Where on Earth there is land, coarsely: Natural Earth's 1:50m land on a 0.5° grid, a cell
 * set when any land touches it (`land-mask-data.ts`, built by `land-mask-build.ts`). Enough to
 * tell a field on land from one in open ocean; not a coastline.
 */
export const CELL_DEG = 0.5;
export const COLS = 360 / CELL_DEG;
export const ROWS = 180 / CELL_DEG;

let bits: Uint8Array | undefined;

function landCell(c: number, r: number): boolean {
  bits ??= new Uint8Array(gunzipSync(Buffer.from(LAND_MASK, 'base64')));
  if (r < 0 || r >= ROWS) return false;
  const i = r * COLS + (((c % COLS) + COLS) % COLS);
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

const cellOf = (lon: number, lat: number): [number, number] => [
  Math.floor((lon + 180) / CELL_DEG),
  Math.min(ROWS - 1, Math.floor((lat + 90) / CELL_DEG)),
];

/** Land touches the 0.5° cell of [lon, lat]. */
export function onLand(lon: number, lat: number): boolean {
  const [c, r] = cellOf(lon, lat);
  return landCell(c, r);
}

/** No land in the cell of [lon, lat] nor in its neighbours: at least ~0.5° (≈ 55 km) out at sea. */
export function offshore(lon: number, lat: number): boolean {
  const [c, r] = cellOf(lon, lat);
  for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (landCell(c + dc, r + dr)) return false;
  return true;
}
