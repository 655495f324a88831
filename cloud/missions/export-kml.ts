import type { Plan } from './types.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function data(obj: Record<string, unknown>): string {
  const rows = Object.entries(obj).map(([k, v]) => `<Data name="${esc(k)}"><value>${esc(String(v))}</value></Data>`);
  return `<ExtendedData>${rows.join('')}</ExtendedData>`;
}

/** KML export for Google Earth: passes green, transits grey, metrics as document data. */
export function planToKml(plan: Plan): string {
  const alt = plan.altitudeM;
  const placemarks = plan.legs.map((l, i) => {
    const coords = l.coordinates.map(([lon, lat]) => `${lon},${lat},${alt}`).join(' ');
    const name = `${l.spray ? 'pass' : l.kind} ${i + 1} (sortie ${l.sortie})`;
    return (
      `<Placemark><name>${esc(name)}</name><styleUrl>#${l.spray ? 'spray' : 'transit'}</styleUrl>` +
      data({
        spray: l.spray,
        sortie: l.sortie,
        kind: l.kind,
        lengthM: l.lengthM,
        // open nozzle sections left to right, e.g. "1100" (only on a leg with some closed)
        ...(l.sections ? { sections: l.sections.map((o) => (o ? '1' : '0')).join('') } : {}),
      }) +
      `<LineString><altitudeMode>relativeToGround</altitudeMode><coordinates>${coords}</coordinates></LineString></Placemark>`
    );
  });
  const home = `<Placemark><name>refill point</name>${data({ role: 'home' })}<Point><coordinates>${plan.home[0]},${plan.home[1]},0</coordinates></Point></Placemark>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
    `<name>${esc(`spray plan${plan.fieldName ? ` — ${plan.fieldName}` : ''}: ${plan.product.name} ${plan.rateLPerHa} L/ha`)}</name>`,
    data({ ...plan.metrics }),
    '<Style id="spray"><LineStyle><color>ff00c000</color><width>3</width></LineStyle></Style>',
    '<Style id="transit"><LineStyle><color>ff909090</color><width>1</width></LineStyle></Style>',
    home,
    ...placemarks,
    '</Document></kml>',
    '',
  ].join('\n');
}
