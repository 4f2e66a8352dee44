/**
 * Reference geometry for the renderer's tests, written apart from the
 * renderer: Vincenty's inverse geodesic on WGS84 (accurate to well under a
 * millimetre away from antipodes) and the 4/3 earth beam model in the form
 * the expected georef files state it.
 *
 * @module
 */

const A = 6378137;
const F = 1 / 298.257223563;
const B = A * (1 - F);
const DEG = Math.PI / 180;

/** Distance (m) and forward azimuth (degrees) from point 1 to point 2. */
export function vincentyInverse(
  lon1: number,
  lat1: number,
  lon2: number,
  lat2: number,
): { distanceM: number; azimuthDeg: number } {
  const u1 = Math.atan((1 - F) * Math.tan(lat1 * DEG));
  const u2 = Math.atan((1 - F) * Math.tan(lat2 * DEG));
  const sinU1 = Math.sin(u1);
  const cosU1 = Math.cos(u1);
  const sinU2 = Math.sin(u2);
  const cosU2 = Math.cos(u2);
  const l = (lon2 - lon1) * DEG;
  let lambda = l;
  let sinSigma = 0;
  let cosSigma = 1;
  let sigma = 0;
  let cos2Alpha = 1;
  let cos2SigmaM = 0;
  for (let i = 0; i < 200; i++) {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    sinSigma = Math.hypot(
      cosU2 * sinLambda,
      cosU1 * sinU2 - sinU1 * cosU2 * cosLambda,
    );
    if (sinSigma === 0) return { distanceM: 0, azimuthDeg: 0 };
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha === 0
      ? 0
      : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const c = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const previous = lambda;
    lambda = l + (1 - c) * F * sinAlpha * (sigma + c * sinSigma *
            (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - previous) < 1e-13) break;
  }
  const u2Square = (cos2Alpha * (A * A - B * B)) / (B * B);
  const bigA = 1 +
    (u2Square / 16384) *
      (4096 + u2Square * (-768 + u2Square * (320 - 175 * u2Square)));
  const bigB = (u2Square / 1024) *
    (256 + u2Square * (-128 + u2Square * (74 - 47 * u2Square)));
  const deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) *
      (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
        (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) *
          (-3 + 4 * cos2SigmaM * cos2SigmaM)));
  const distanceM = B * bigA * (sigma - deltaSigma);
  const azimuth = Math.atan2(
    cosU2 * Math.sin(lambda),
    cosU1 * sinU2 - sinU1 * cosU2 * Math.cos(lambda),
  ) / DEG;
  return { distanceM, azimuthDeg: (azimuth + 360) % 360 };
}

/** Effective earth radius of the georef files: 4/3 x 6371000 m. */
const RE = (4 / 3) * 6371000;

/**
 * Slant range (m) of a beam at elevation `elevationDeg` over ground
 * distance `groundM`: the inverse of the georef files' formula
 * s = Re asin(r cos(el) / (Re + h)), solved by bisection so that it shares
 * no algebra with the renderer.
 */
export function slantRangeOfGround(
  groundM: number,
  elevationDeg: number,
): number {
  const el = elevationDeg * DEG;
  const groundOf = (r: number) => {
    const h = Math.sqrt(r * r + RE * RE + 2 * r * RE * Math.sin(el)) - RE;
    return RE * Math.asin((r * Math.cos(el)) / (RE + h));
  };
  let low = 0;
  let high = 2 * groundM + 1000;
  for (let i = 0; i < 80; i++) {
    const middle = (low + high) / 2;
    if (groundOf(middle) < groundM) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Web Mercator x and y (m) of a longitude and latitude (degrees). */
export function toMercator(lon: number, lat: number): [number, number] {
  return [
    A * lon * DEG,
    A * Math.log(Math.tan(Math.PI / 4 + (lat * DEG) / 2)),
  ];
}

/** Longitude and latitude (degrees) of a Web Mercator x and y (m). */
export function fromMercator(x: number, y: number): [number, number] {
  return [
    x / A / DEG,
    (Math.PI / 2 - 2 * Math.atan(Math.exp(-y / A))) / DEG,
  ];
}

/** Radials and gates of a raster, as the reference geometry reads them. */
export interface ReferenceCells {
  /** Azimuth of each radial's centre, degrees. */
  centresDeg: ArrayLike<number>;
  spacingsDeg: ArrayLike<number>;
  /** Elevation of each radial, degrees. */
  elevationsDeg: ArrayLike<number>;
  firstGateM: number;
  gateIntervalM: number;
  gateCount: number;
}

/**
 * Returns the radial and gate whose cell contains a point, by Vincenty and
 * the 4/3 earth model, or null when the point lies within `marginM` of a
 * cell edge, outside the raster or in a gap. Radial edges lie halfway
 * between neighbouring centres, at most half a spacing from each.
 */
export function coveringCell(
  cells: ReferenceCells,
  radar: { longitudeDeg: number; latitudeDeg: number },
  lon: number,
  lat: number,
  marginM: number,
): { radial: number; gate: number } | null {
  const { distanceM, azimuthDeg } = vincentyInverse(
    radar.longitudeDeg,
    radar.latitudeDeg,
    lon,
    lat,
  );
  if (distanceM < 1) return null;

  let best = -1;
  let bestOffset = Infinity;
  let secondOffset = Infinity;
  for (let k = 0; k < cells.centresDeg.length; k++) {
    const offset = Math.abs(
      ((azimuthDeg - cells.centresDeg[k] + 540) % 360) - 180,
    );
    if (offset < bestOffset) {
      secondOffset = bestOffset;
      bestOffset = offset;
      best = k;
    } else if (offset < secondOffset) {
      secondOffset = offset;
    }
  }
  const spacing = cells.spacingsDeg[best];
  if (bestOffset > 0.5 * spacing) return null;
  const toEdgeDeg = Math.min(
    (secondOffset - bestOffset) / 2,
    0.5 * spacing - bestOffset,
  );
  if ((toEdgeDeg * DEG) * distanceM < marginM) return null;

  const slant = slantRangeOfGround(distanceM, cells.elevationsDeg[best]);
  const position = (slant - cells.firstGateM) / cells.gateIntervalM + 0.5;
  const gate = Math.floor(position);
  if (gate < 0 || gate >= cells.gateCount) return null;
  const toGateEdgeM = Math.min(position - gate, gate + 1 - position) *
    cells.gateIntervalM;
  if (toGateEdgeM < marginM) return null;
  return { radial: best, gate };
}
