import { registerCount } from './decode.js';
import type { DeviceProfile, ProfilePoint } from './profile.js';

/** One read on the wire and the points it carries. */
export interface ReadBlock {
  fc: 1 | 2 | 3 | 4;
  address: number;
  length: number;
  points: { point: ProfilePoint; offset: number }[];
}

// Modbus PDU limits: 125 registers or 2000 bits per read
const MAX_BITS = 2000;

/**
 * Merges points of one function whose registers touch or overlap into one read, so a 4-in-1
 * soil sensor costs one transaction, not four. Gaps are never bridged: many sensors answer an
 * unmapped register with exception 2.
 */
export function planReads(profile: Pick<DeviceProfile, 'points' | 'maxReadRegisters'>): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  const byFc = new Map<number, ProfilePoint[]>();
  for (const p of profile.points) byFc.set(p.function, [...(byFc.get(p.function) ?? []), p]);
  for (const [fc, points] of [...byFc.entries()].sort((a, b) => a[0] - b[0])) {
    const max = fc === 1 || fc === 2 ? MAX_BITS : profile.maxReadRegisters;
    let cur: ReadBlock | undefined;
    for (const p of [...points].sort((a, b) => a.address - b.address)) {
      const end = p.address + registerCount(p.type);
      if (cur && p.address <= cur.address + cur.length && end - cur.address <= max) {
        cur.length = Math.max(cur.length, end - cur.address);
        cur.points.push({ point: p, offset: p.address - cur.address });
        continue;
      }
      cur = {
        fc: fc as ReadBlock['fc'],
        address: p.address,
        length: end - p.address,
        points: [{ point: p, offset: 0 }],
      };
      blocks.push(cur);
    }
  }
  return blocks;
}
