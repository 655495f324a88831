/** The web app's map tiles when TILE_URL is not set: OpenStreetMap's standard tile server. */
export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
