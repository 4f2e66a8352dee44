/**
 * Locations of the WSR-88D (NEXRAD) and TDWR radar sites, by ICAO id.
 *
 * Message 31 volumes carry their antenna location in the VOL block, but
 * message 1 volumes (about 1991 to 2008) carry none. Renderers fall back to
 * this table for those.
 *
 * Source: NOAA NCEI Historical Observing Metadata Repository, NEXRAD and
 * TDWR station list `nexrad-stations.txt`
 * (https://www.ncei.noaa.gov/access/homr/file/nexrad-stations.txt), all
 * 210 entries. They were read on 2026-12-04 from a copy of that file in
 * the public GitHub repository yanjz124/DGScope-profile-manager (commit
 * 231e520 of 2026-01-06), which carries no issue date of its own.
 * Latitude and longitude are decimal degrees (WGS84) as listed. NCEI's
 * notes on the list say that from the May 2021 issue on, its elevation is
 * ground elevation + tower height + feedhorn, in feet: the height of the
 * antenna above mean sea level. The heights here agree with the VOL blocks
 * of recent volumes to within a few metres. The list also
 * contains radars outside the operational network, such as the Radar
 * Operations Center test system KCRI and the NSSL research radar KOUN.
 *
 * @module
 */

import type { RadarLocation } from "./volume.ts";

/** A radar site of the NCEI station list. */
export interface RadarSite {
  /** ICAO id, e.g. "KTLX". */
  icao: string;
  /** Latitude, degrees north (WGS84). */
  latitudeDeg: number;
  /** Longitude, degrees east (WGS84). */
  longitudeDeg: number;
  /** Height of the antenna feedhorn above mean sea level, metres. */
  antennaHeightM: number;
}

const METRES_PER_FOOT = 0.3048;

/** ICAO id, latitude (deg), longitude (deg), antenna height (ft MSL). */
// deno-fmt-ignore
const STATION_LIST: readonly (readonly [string, number, number, number])[] = [
  ["KABR", 45.455833, -98.413333, 1383], // Aberdeen, SD
  ["KABX", 35.149722, -106.82388, 5951], // Albuquerque, NM
  ["KAKQ", 36.98405, -77.007361, 255], // Norfolk Rich, VA
  ["KAMA", 35.233333, -101.70927, 3703], // Amarillo, TX
  ["KAMX", 25.611083, -80.412667, 111], // Miami, FL
  ["KAPX", 44.90635, -84.719533, 1561], // Gaylord, MI
  ["KARX", 43.822778, -91.191111, 1357], // La Crosse, WI
  ["KATX", 48.194611, -122.49569, 642], // Seattle, WA
  ["KBBX", 39.495639, -121.63161, 221], // Beale AFB, CA
  ["KBGM", 42.199694, -75.984722, 1703], // Binghamton, NY
  ["KBHX", 40.498583, -124.29216, 2516], // Eureka, CA
  ["KBIS", 46.770833, -100.76055, 1755], // Bismarck, ND
  ["KBLX", 45.853778, -108.60680, 3703], // Billings, MT
  ["KBMX", 33.172417, -86.770167, 759], // Birmingham, AL
  ["KBOX", 41.955778, -71.136861, 232], // Boston, MA
  ["KBRO", 25.916, -97.418967, 88], // Brownsville, TX
  ["KBUF", 42.948789, -78.736781, 790], // Buffalo, NY
  ["KBYX", 24.5975, -81.703167, 89], // Key West, FL
  ["KCAE", 33.948722, -81.118278, 345], // Columbia, SC
  ["KCBW", 46.03925, -67.806431, 860], // Houlton, ME
  ["KCBX", 43.490217, -116.23603, 3172], // Boise, ID
  ["KCCX", 40.923167, -78.003722, 2486], // State College, PA
  ["KCLE", 41.413217, -81.859867, 860], // Cleveland, OH
  ["KCLX", 32.655528, -81.042194, 229], // Charleston, SC
  ["KCRI", 35.238333, -97.46, 1315], // ROC FAA Redundant RDA 1, OK
  ["KCRP", 27.784017, -97.51125, 142], // Corpus Christi, TX
  ["KCXX", 44.511, -73.166431, 431], // Burlington, VT
  ["KCYS", 41.151919, -104.80603, 6193], // Cheyenne, WY
  ["KDAX", 38.501111, -121.67783, 144], // Sacramento, CA
  ["KDDC", 37.760833, -99.968889, 2671], // Dodge City, KS
  ["KDFX", 29.273139, -100.28033, 1196], // Laughlin AFB, TX
  ["KDGX", 32.279944, -89.984444, 609], // Jackson Brandon, MS
  ["KDIX", 39.947089, -74.410731, 230], // Philadelphia, NJ
  ["KDLH", 46.836944, -92.209722, 1542], // Duluth, MN
  ["KDMX", 41.7312, -93.722869, 1095], // Des Moines, IA
  ["KDOX", 38.825767, -75.440117, 164], // Dover AFB, DE
  ["KDTX", 42.7, -83.471667, 1216], // Detroit, MI
  ["KDVN", 41.611667, -90.580833, 851], // Davenport, IA
  ["KDYX", 32.5385, -99.254333, 1582], // Dyess AFB, TX
  ["KEAX", 38.81025, -94.264472, 1092], // Kansas City, MO
  ["KEMX", 31.89365, -110.63025, 5319], // Tucson, AZ
  ["KENX", 42.586556, -74.064083, 1935], // Albany, NY
  ["KEOX", 31.460556, -85.459389, 537], // Fort Rucker, AL
  ["KEPZ", 31.873056, -106.698, 4218], // El Paso, NM
  ["KESX", 35.70135, -114.89165, 4948], // Las Vegas, NV
  ["KEVX", 30.565033, -85.921667, 221], // Eglin AFB, FL
  ["KEWX", 29.704056, -98.028611, 767], // Austin San Antonio, TX
  ["KEYX", 35.09785, -117.56075, 2873], // Edwards, CA
  ["KFCX", 37.0244, -80.273969, 2965], // Roanoke, VA
  ["KFDR", 34.362194, -98.976667, 1315], // Altus AFB, OK
  ["KFDX", 34.634167, -103.61888, 4698], // Cannon AFB, NM
  ["KFFC", 33.36355, -84.56595, 972], // Atlanta, GA
  ["KFSD", 43.587778, -96.729444, 1495], // Sioux Falls, SD
  ["KFSX", 34.574333, -111.19844, 7514], // Flagstaff, AZ
  ["KFTG", 39.786639, -104.54580, 5611], // Denver Front Range Ap, CO
  ["KFWS", 32.573, -97.30315, 777], // Dallas, TX
  ["KGGW", 48.206361, -106.62469, 2384], // Glasgow, MT
  ["KGJX", 39.062169, -108.21376, 10101], // Grand Junction, CO
  ["KGLD", 39.366944, -101.70027, 3716], // Goodland, KS
  ["KGRB", 44.498633, -88.111111, 823], // Green Bay, WI
  ["KGRK", 30.721833, -97.382944, 603], // Fort Hood, TX
  ["KGRR", 42.893889, -85.544889, 875], // Grand Rapids, MI
  ["KGSP", 34.883306, -82.219833, 1069], // Greer, SC
  ["KGWX", 33.896917, -88.329194, 590], // Columbus AFB, MS
  ["KGYX", 43.891306, -70.256361, 474], // Portland, ME
  ["KHDC", 30.5193, -90.4074, 43], // Hammond Municipal Airport, LA
  ["KHDX", 33.077, -106.12003, 4270], // Holloman AFB, NM
  ["KHGX", 29.4719, -95.078733, 115], // Houston, TX
  ["KHNX", 36.314181, -119.63213, 340], // San Joaquin Valley, CA
  ["KHPX", 36.736972, -87.285583, 613], // Fort Campbell, KY
  ["KHTX", 34.930556, -86.083611, 1859], // Huntsville, AL
  ["KICT", 37.654444, -97.443056, 1400], // Wichita, KS
  ["KICX", 37.59105, -112.86218, 10757], // Cedar City, UT
  ["KILN", 39.420483, -83.82145, 1170], // Cincinnati, OH
  ["KILX", 40.1505, -89.336792, 731], // Lincoln, IL
  ["KIND", 39.7075, -86.280278, 887], // Indianapolis, IN
  ["KINX", 36.175131, -95.564161, 749], // Tulsa, OK
  ["KIWA", 33.289233, -111.66991, 1426], // Phoenix, AZ
  ["KIWX", 41.358611, -85.7, 1056], // Fort Wayne, IN
  ["KJAX", 30.484633, -81.7019, 160], // Jacksonville, FL
  ["KJGX", 32.675683, -83.350833, 618], // Robins AFB, GA
  ["KJKL", 37.590833, -83.313056, 1461], // Jackson, KY
  ["KLBB", 33.654139, -101.81416, 3378], // Lubbock, TX
  ["KLCH", 30.125306, -93.215889, 137], // Lake Charles, LA
  ["KLGX", 47.116944, -124.10666, 366], // Langley Hill NW Washington, WA
  ["KLIX", 30.336667, -89.825417, 179], // New Orleans, LA
  ["KLNX", 41.957944, -100.57622, 3113], // North Platte, NE
  ["KLOT", 41.604444, -88.084444, 760], // Chicago, IL
  ["KLRX", 40.73955, -116.8027, 6895], // Elko, NV
  ["KLSX", 38.698611, -90.682778, 722], // St Louis, MO
  ["KLTX", 33.98915, -78.429108, 145], // Wilmington, NC
  ["KLVX", 37.975278, -85.943889, 833], // Louisville, KY
  ["KLWX", 38.976111, -77.4875, 404], // Sterling, VA
  ["KLZK", 34.8365, -92.262194, 649], // Little ROCk, AR
  ["KMAF", 31.943461, -102.18925, 2962], // Midland Odessa, TX
  ["KMAX", 42.081169, -122.71736, 7561], // Medford, OR
  ["KMBX", 48.393056, -100.86444, 1590], // Minot AFB, ND
  ["KMHX", 34.775908, -76.876189, 145], // Morehead City, NC
  ["KMKX", 42.9679, -88.550667, 1023], // Milwaukee, WI
  ["KMLB", 28.113194, -80.654083, 149], // Melbourne, FL
  ["KMOB", 30.679444, -88.24, 289], // Mobile, AL
  ["KMPX", 44.848889, -93.565528, 1101], // Minneapolis, MN
  ["KMQT", 46.531111, -87.548333, 1525], // Marquette, MI
  ["KMRX", 36.168611, -83.401944, 1434], // Knoxville, TN
  ["KMSX", 47.041, -113.98622, 7978], // Missoula, MT
  ["KMTX", 41.262778, -112.44777, 6594], // Salt Lake City, UT
  ["KMUX", 37.155222, -121.89844, 3550], // San Francisco, CA
  ["KMVX", 47.527778, -97.325556, 1083], // Grand Forks, ND
  ["KMXX", 32.53665, -85.78975, 560], // Maxwell AFB, AL
  ["KNKX", 32.919017, -117.0418, 1052], // San Diego, CA
  ["KNQA", 35.344722, -89.873333, 435], // Memphis, TN
  ["KOAX", 41.320369, -96.366819, 1262], // Omaha, NE
  ["KOHX", 36.247222, -86.5625, 676], // Nashville, TN
  ["KOKX", 40.865528, -72.863917, 199], // New York City, NY
  ["KOTX", 47.680417, -117.62677, 2449], // Spokane, WA
  ["KOUN", 35.236058, -97.46235, 1284], // Norman NSSL, OK
  ["KPAH", 37.068333, -88.771944, 506], // Paducah, KY
  ["KPBZ", 40.531717, -80.217967, 1266], // Pittsburgh, PA
  ["KPDT", 45.69065, -118.85293, 1580], // Pendleton, OR
  ["KPOE", 31.155278, -92.976111, 473], // Fort Polk, LA
  ["KPUX", 38.45955, -104.18135, 5363], // Pueblo, CO
  ["KRAX", 35.665519, -78.48975, 462], // Raleigh Durham, NC
  ["KRGX", 39.754056, -119.46202, 8396], // Reno, NV
  ["KRIW", 43.066089, -108.4773, 5633], // Riverton, WY
  ["KRLX", 38.311111, -81.722778, 1213], // Charleston, WV
  ["KRTX", 45.715039, -122.965, 1728], // Portland, OR
  ["KSFX", 43.1056, -112.68613, 4539], // Pocatello, ID
  ["KSGF", 37.235239, -93.400419, 1375], // Springfield, MO
  ["KSHV", 32.450833, -93.84125, 387], // Shreveport, LA
  ["KSJT", 31.371278, -100.4925, 2004], // San Angelo, TX
  ["KSOX", 33.817733, -117.636, 3106], // Santa Ana Mountains, CA
  ["KSRX", 35.290417, -94.361889, 737], // Fort Smith, AR
  ["KTBW", 27.7055, -82.401778, 122], // Tampa, FL
  ["KTFX", 47.459583, -111.38533, 3805], // Great Falls, MT
  ["KTLH", 30.397583, -84.328944, 177], // Tallahassee, FL
  ["KTLX", 35.333361, -97.277761, 1278], // Oklahoma City, OK
  ["KTWX", 38.99695, -96.23255, 1415], // Topeka, KS
  ["KTYX", 43.755694, -75.679861, 1960], // Fort Drum, NY
  ["KUDX", 44.124722, -102.83, 3195], // Rapid City, SD
  ["KUEX", 40.320833, -98.441944, 2057], // Hastings, NE
  ["KVAX", 30.890278, -83.001806, 330], // Moody AFB, GA
  ["KVBX", 34.83855, -120.39791, 1354], // Vandenberg AFB, CA
  ["KVNX", 36.740617, -98.127717, 1258], // Vance AFB, OK
  ["KVTX", 34.412017, -119.17875, 2807], // Los Angeles, CA
  ["KVWX", 38.26025, -87.724528, 625], // Evansville, IN
  ["KYUX", 32.495281, -114.65671, 239], // Yuma, AZ
  ["LPLA", 38.73028, -27.32167, 3334], // Lajes AB, Azores
  ["PABC", 60.791944, -161.87638, 193], // Bethel FAA, AK
  ["PACG", 56.852778, -135.52916, 272], // Sitka, AK
  ["PAEC", 64.511389, -165.295, 90], // Nome, AK
  ["PAHG", 60.725914, -151.35146, 356], // Anchorage, AK
  ["PAIH", 59.460767, -146.30344, 132], // Middleton Island, AK
  ["PAKC", 58.679444, -156.62944, 144], // King Salmon, AK
  ["PAPD", 65.035114, -147.50143, 2707], // Fairbanks, AK
  ["PGUA", 13.455833, 144.811111, 386], // Andersen AFB Agana, GU
  ["PHKI", 21.893889, -159.5525, 340], // South Kauai, HI
  ["PHKM", 20.125278, -155.77777, 3966], // Kamuela, HI
  ["PHMO", 21.132778, -157.18027, 1444], // Molokai, HI
  ["PHWA", 19.095, -155.56888, 1461], // South Shore, HI
  ["RKJK", 35.924167, 126.622222, 192], // Kunsan, South Korea
  ["RKSG", 37.207569, 127.285561, 1521], // Camp Humphreys, South Korea
  ["RODN", 26.3078, 127.903469, 412], // Kadena, Japan
  ["TADW", 38.695, -76.845, 344], // Andrews AFB, MD (TDWR)
  ["TATL", 33.646944, -84.261944, 1076], // Atlanta, GA (TDWR)
  ["TBNA", 35.98, -86.661944, 817], // Nashville, TN (TDWR)
  ["TBOS", 42.158056, -70.933056, 262], // Boston, MA (TDWR)
  ["TBWI", 39.09, -76.63, 299], // Baltimore Washington, MD (TDWR)
  ["TCLT", 35.336944, -80.885, 869], // Charlotte, NC (TDWR)
  ["TCMH", 40.006111, -82.715, 1148], // Columbus, OH (TDWR)
  ["TCVG", 38.898056, -84.58, 1053], // Covington, KY (TDWR)
  ["TDAL", 32.926111, -96.968056, 623], // Dallas Love Field, TX (TDWR)
  ["TDAY", 40.021944, -84.123056, 1020], // Dayton, OH (TDWR)
  ["TDCA", 38.758889, -76.961944, 344], // Washington National, MD (TDWR)
  ["TDEN", 39.728056, -104.52611, 5702], // Denver, CO (TDWR)
  ["TDFW", 33.065, -96.918056, 584], // Dallas Ft Worth, TX (TDWR)
  ["TDTW", 42.111111, -83.515, 771], // Detroit, MI (TDWR)
  ["TEWR", 40.593056, -74.27, 135], // Newark, NJ (TDWR)
  ["TFLL", 26.143056, -80.343889, 121], // Ft Lauderdale, FL (TDWR)
  ["THOU", 29.516111, -95.241944, 118], // Houston Hobby, TX (TDWR)
  ["TIAD", 39.083889, -77.528889, 472], // Washington Dulles, VA (TDWR)
  ["TIAH", 30.065, -95.566944, 253], // Houston International, TX (TDWR)
  ["TICH", 37.506944, -97.436944, 1352], // Wichita, KS (TDWR)
  ["TIDS", 39.636944, -86.436111, 846], // Indianapolis, IN (TDWR)
  ["TJBQ", 18.485, -67.143, 280], // Rafael Hernandez Airport, PR (TDWR)
  ["TJFK", 40.588889, -73.881111, 112], // New York City JFK, NY (TDWR)
  ["TJRV", 18.256, -65.637, 50], // Jose Aponte De La Torre Airpor, PR (TDWR)
  ["TJUA", 18.115667, -66.078167, 2958], // San Juan, PR
  ["TLAS", 36.143889, -115.00694, 2057], // Las Vegas, NV (TDWR)
  ["TLVE", 41.29, -82.008056, 932], // Cleveland, OH (TDWR)
  ["TMCI", 39.498056, -94.741944, 1089], // Kansas City, MO (TDWR)
  ["TMCO", 28.343889, -81.326111, 171], // Orlando International, FL (TDWR)
  ["TMDW", 41.651111, -87.73, 764], // Chicago Midway, IL (TDWR)
  ["TMEM", 34.896111, -89.993056, 482], // Memphis, MS (TDWR)
  ["TMIA", 25.758056, -80.491111, 125], // Miami, FL (TDWR)
  ["TMKE", 42.818889, -88.046111, 932], // Milwaukee, WI (TDWR)
  ["TMSP", 44.871111, -92.933056, 1122], // Minneapolis, MN (TDWR)
  ["TMSY", 30.021944, -90.403056, 98], // New Orleans, LA (TDWR)
  ["TOKC", 35.276111, -97.51, 1309], // Norman WFO, OK (TDWR)
  ["TORD", 41.796944, -87.858056, 745], // Chicago Ohare, IL (TDWR)
  ["TPBI", 26.688056, -80.273056, 135], // West Palm Beach, FL (TDWR)
  ["TPHL", 39.948889, -75.068889, 154], // Philadelphia, NJ (TDWR)
  ["TPHX", 33.421111, -112.16305, 1089], // Phoenix, AZ (TDWR)
  ["TPIT", 40.501111, -80.486111, 1385], // Pittsburgh, PA (TDWR)
  ["TRDU", 36.001944, -78.696944, 515], // Raleigh, NC (TDWR)
  ["TSDF", 38.046111, -85.61, 732], // Louisville, KY (TDWR)
  ["TSJU", 18.473889, -66.178889, 157], // San Juan, PR (TDWR)
  ["TSLC", 40.966944, -111.93, 4295], // Salt Lake City, UT (TDWR)
  ["TSTL", 38.805, -90.488889, 646], // St Louis, MO (TDWR)
  ["TTPA", 27.86, -82.518056, 92], // Tampa, FL (TDWR)
  ["TTUL", 36.071111, -95.826944, 823], // Tulsa, OK (TDWR)
];

/** Every site of the table, keyed by ICAO id. */
export const RADAR_SITES: ReadonlyMap<string, RadarSite> = new Map(
  STATION_LIST.map(([icao, latitudeDeg, longitudeDeg, heightFt]) => [
    icao,
    {
      icao,
      latitudeDeg,
      longitudeDeg,
      antennaHeightM: heightFt * METRES_PER_FOOT,
    },
  ]),
);

/**
 * Returns the table location of site `icao` as a volume location, or null
 * for a site that is not in the table. The list gives only the antenna
 * height above sea level, so `siteHeightM` is that height and
 * `feedhornHeightM` is 0: their sum is the antenna height, as for a VOL
 * block.
 */
export function siteLocation(icao: string): RadarLocation | null {
  const site = RADAR_SITES.get(icao);
  if (site === undefined) return null;
  return {
    latitudeDeg: site.latitudeDeg,
    longitudeDeg: site.longitudeDeg,
    siteHeightM: site.antennaHeightM,
    feedhornHeightM: 0,
  };
}
