// @turf/jsts ships no types; we use only its buffer operation and GeoJSON reader/writer.
declare module '@turf/jsts' {
  const jsts: {
    BufferOp: { bufferOp(geom: unknown, distance: number, quadrantSegments?: number): unknown };
    GeoJSONReader: new () => { read(g: unknown): unknown };
    GeoJSONWriter: new () => { write(g: unknown): { type: string; coordinates: unknown } };
  };
  export default jsts;
}
