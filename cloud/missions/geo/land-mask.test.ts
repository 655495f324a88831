import { describe, expect, it } from 'vitest';
import { COLS, ROWS, offshore, onLand } from './land-mask.js';

describe('land mask', () => {
  it('knows the continents, the deltas and the polders from the open sea', () => {
    const land: Array<[number, number]> = [
      [105.78, 10.03], // Cần Thơ
      [6.54, 51.9], // Winterswijk
      [5.5, 52.5], // Flevoland, land since 1968
      [-60.57, -33.89], // Pergamino
      [20, 25], // Sahara
      [0, -80], // Antarctica
      [-45, 72], // Greenland
    ];
    const sea: Array<[number, number]> = [
      [51.9, 6.54], // off Somalia
      [-33.89, -60.57], // Southern Ocean
      [-30, 10], // mid-Atlantic
      [-150, 0], // Pacific
      [80, -30], // Indian Ocean
      [0, 88], // Arctic Ocean
    ];
    for (const [lon, lat] of land) expect({ lon, lat, onLand: onLand(lon, lat) }).toEqual({ lon, lat, onLand: true });
    for (const [lon, lat] of sea)
      expect({ lon, lat, offshore: offshore(lon, lat) }).toEqual({ lon, lat, offshore: true });
  });

  it('calls a coast neither offshore nor open sea: a cell touching land counts as land', () => {
    expect(offshore(105.2, 8.6)).toBe(false); // Cà Mau's coast
    expect(offshore(3.3, 51.4)).toBe(false); // the Zeeland coast
  });

  it('covers the whole Earth, wrapping at the antimeridian', () => {
    expect(COLS * ROWS).toBe(720 * 360);
    expect(onLand(-180, 65)).toBe(true); // Chukotka, both sides of the line
    expect(onLand(179.9, 65)).toBe(true);
    expect(offshore(-179.9, 0)).toBe(true);
  });
});
