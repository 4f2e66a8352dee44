// The WGS84 ellipsoid, Web Mercator (EPSG:3857) and the radar's place on
// the ellipsoid, shared by the polar and Cartesian grids.

export const WGS84_A: f64 = 6378137.0;
export const WGS84_F: f64 = 1.0 / 298.257223563;
export const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);
/** Sphere radius of Web Mercator (EPSG:3857). */
export const MERCATOR_RADIUS: f64 = 6378137.0;
export const DEG: f64 = Math.PI / 180.0;

/** Returns the prime vertical radius of curvature N at sin(latitude). */

export function primeVerticalRadius(sinLat: f64): f64 {
  return WGS84_A / Math.sqrt(1.0 - WGS84_E2 * sinLat * sinLat);
}

/**
 * The radar's latitude terms and its ECEF position in the frame turned to
 * its meridian: x is the distance from the polar axis and z the height
 * along it, in metres.
 */
export class RadarFrame {
  sinLat0: f64;
  cosLat0: f64;
  x0: f64;
  z0: f64;
  /** Gaussian mean radius of curvature sqrt(M N) at the radar, metres. */
  meanRadius: f64;

  constructor(latitudeDeg: f64) {
    const latitude0 = latitudeDeg * DEG;
    this.sinLat0 = Math.sin(latitude0);
    this.cosLat0 = Math.cos(latitude0);
    const w = 1.0 - WGS84_E2 * this.sinLat0 * this.sinLat0;
    const primeVertical = WGS84_A / Math.sqrt(w);
    const meridional = (WGS84_A * (1.0 - WGS84_E2)) / (w * Math.sqrt(w));
    this.x0 = primeVertical * this.cosLat0;
    this.z0 = primeVertical * (1.0 - WGS84_E2) * this.sinLat0;
    this.meanRadius = Math.sqrt(primeVertical * meridional);
  }
}
