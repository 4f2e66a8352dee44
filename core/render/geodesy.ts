/**
 * Earth models of the renderer: the WGS84 ellipsoid, Web Mercator and the
 * 4/3 effective earth radius beam model.
 *
 * @module
 */

/** WGS84 semi-major axis, metres. */
export const WGS84_A = 6378137;
/** WGS84 flattening. */
export const WGS84_F = 1 / 298.257223563;
/** WGS84 first eccentricity squared. */
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);
/** Sphere radius of Web Mercator (EPSG:3857), metres. */
export const MERCATOR_RADIUS_M = 6378137;
/** Mean earth radius of the beam model, metres. */
export const BEAM_EARTH_RADIUS_M = 6371000;
/** Effective earth radius for standard refraction: 4/3 of the mean radius. */
export const EFFECTIVE_EARTH_RADIUS_M = (4 / 3) * BEAM_EARTH_RADIUS_M;

const DEG = Math.PI / 180;

/** Returns the Web Mercator x of a longitude, metres. */
export function mercatorX(longitudeDeg: number): number {
  return MERCATOR_RADIUS_M * longitudeDeg * DEG;
}

/** Returns the Web Mercator y of a latitude, metres. */
export function mercatorY(latitudeDeg: number): number {
  return MERCATOR_RADIUS_M *
    Math.log(Math.tan(Math.PI / 4 + (latitudeDeg * DEG) / 2));
}

/** Returns the longitude of a Web Mercator x, degrees. */
export function longitudeOfMercatorX(x: number): number {
  return x / MERCATOR_RADIUS_M / DEG;
}

/** Returns the latitude of a Web Mercator y, degrees. */
export function latitudeOfMercatorY(y: number): number {
  return (Math.PI / 2 - 2 * Math.atan(Math.exp(-y / MERCATOR_RADIUS_M))) /
    DEG;
}

/** Returns the WGS84 radius of curvature in the prime vertical, metres. */
export function primeVerticalRadius(latitudeDeg: number): number {
  const sinLatitude = Math.sin(latitudeDeg * DEG);
  return WGS84_A / Math.sqrt(1 - WGS84_E2 * sinLatitude * sinLatitude);
}

/**
 * Returns the distance along the earth's surface to a beam's centre at
 * slant range `slantRangeM` and elevation `elevationDeg`, metres, in the
 * 4/3 effective earth radius model (Doviak and Zrnic, eq. 2.28).
 */
export function beamGroundRange(
  slantRangeM: number,
  elevationDeg: number,
): number {
  const re = EFFECTIVE_EARTH_RADIUS_M;
  const elevation = elevationDeg * DEG;
  const height = Math.sqrt(
    slantRangeM ** 2 + re ** 2 + 2 * slantRangeM * re * Math.sin(elevation),
  ) - re;
  return re * Math.asin((slantRangeM * Math.cos(elevation)) / (re + height));
}

/**
 * Solves the direct geodesic problem on WGS84 with Vincenty's method
 * (1975): the point `distanceM` from the start along `azimuthDeg`.
 *
 * @returns `[longitudeDeg, latitudeDeg]` of the end point.
 */
export function geodesicDestination(
  longitudeDeg: number,
  latitudeDeg: number,
  azimuthDeg: number,
  distanceM: number,
): [number, number] {
  const a = WGS84_A;
  const f = WGS84_F;
  const b = a * (1 - f);
  const alpha1 = azimuthDeg * DEG;
  const sinAlpha1 = Math.sin(alpha1);
  const cosAlpha1 = Math.cos(alpha1);
  const tanU1 = (1 - f) * Math.tan(latitudeDeg * DEG);
  const cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1);
  const sinU1 = tanU1 * cosU1;
  const sigma1 = Math.atan2(tanU1, cosAlpha1);
  const sinAlpha = cosU1 * sinAlpha1;
  const cos2Alpha = 1 - sinAlpha * sinAlpha;
  const u2 = (cos2Alpha * (a * a - b * b)) / (b * b);
  const bigA = 1 +
    (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));

  let sigma = distanceM / (b * bigA);
  let cos2SigmaM = 0;
  let sinSigma = 0;
  let cosSigma = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    cos2SigmaM = Math.cos(2 * sigma1 + sigma);
    sinSigma = Math.sin(sigma);
    cosSigma = Math.cos(sigma);
    const deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (
          cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
          (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) *
            (-3 + 4 * cos2SigmaM * cos2SigmaM)
        ));
    const next = distanceM / (b * bigA) + deltaSigma;
    const converged = Math.abs(next - sigma) < 1e-13;
    sigma = next;
    if (converged) break;
  }
  cos2SigmaM = Math.cos(2 * sigma1 + sigma);
  sinSigma = Math.sin(sigma);
  cosSigma = Math.cos(sigma);

  const x = sinU1 * sinSigma - cosU1 * cosSigma * cosAlpha1;
  const latitude = Math.atan2(
    sinU1 * cosSigma + cosU1 * sinSigma * cosAlpha1,
    (1 - f) * Math.sqrt(sinAlpha * sinAlpha + x * x),
  );
  const lambda = Math.atan2(
    sinSigma * sinAlpha1,
    cosU1 * cosSigma - sinU1 * sinSigma * cosAlpha1,
  );
  const c = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
  const longitude = lambda -
    (1 - c) * f * sinAlpha * (sigma + c * sinSigma * (
            cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
          ));
  return [longitudeDeg + longitude / DEG, latitude / DEG];
}
