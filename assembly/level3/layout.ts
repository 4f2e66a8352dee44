// Layout of the result that `decodeLevel3Product` returns, plus its status,
// warning and data-kind codes. Both the AssemblyScript decoder and
// core/level3/ import this file, so it must stay plain TypeScript.
//
// The result is one little-endian ArrayBuffer:
//
//   +--------------------------------------+ 0
//   | RESULT_SLOTS x int32 (slots below)   |
//   +--------------------------------------+ RESULT_HEADER_BYTES
//   | 16 x uint16 threshold halfwords 31-46|
//   | 10 x uint16 dependent halfwords      |  27, 28, 30, 47-53
//   +--------------------------------------+ SLOT_LAYERS_OFFSET
//   | packet list: uint32 per packet,      |  SLOT_PACKET_COUNT of them
//   | layer index << 16 | packet code      |
//   +--------------------------------------+ SLOT_WARNINGS_OFFSET
//   | warnings: (code, offset, packet) i32 |  SLOT_WARNING_COUNT triples
//   +--------------------------------------+ SLOT_AZIMUTHS_OFFSET
//   | float32 start azimuth per radial     |  radial data only
//   | float32 azimuth spacing per radial   |
//   | uint16 bins carried by each radial   |
//   +--------------------------------------+ SLOT_CODES_OFFSET
//   | raw codes, radial- or row-major      |  uint8, or uint16 when
//   |                                      |  SLOT_CODE_BYTES is 2
//   +--------------------------------------+

/** Status: the product decoded (warnings may still list skipped parts). */
export const STATUS_OK = 0;
/** Status: the input ends inside the message header or description block. */
export const STATUS_TRUNCATED = 1;
/** Status: the product description block does not start with divider -1. */
export const STATUS_BAD_DESCRIPTION = 2;
/** Status: the compressed symbology block could not be decompressed. */
export const STATUS_BAD_COMPRESSION = 3;
/** Status: the message is a General Status Message (code 2): no description block. */
export const STATUS_GENERAL_STATUS = 4;
/** Status: the message code is not a product code (outside 16-211). */
export const STATUS_NOT_A_PRODUCT = 5;

/** Warning: the symbology block header is missing or invalid. */
export const WARN_BAD_SYMBOLOGY = 1;
/** Warning: a layer or packet runs past the end of the data. */
export const WARN_TRUNCATED_PACKET = 2;
/** Warning: an unknown packet code ended the walk of its layer. */
export const WARN_UNKNOWN_PACKET = 3;
/** Warning: a radial or row carried more bins than the packet header. */
export const WARN_EXTRA_BINS = 4;
/** Warning: a second data packet was found; only the first is kept. */
export const WARN_EXTRA_DATA_PACKET = 5;
/** Warning: the generic (XDR) packet contains no radial component. */
export const WARN_GENERIC_NOT_RADIAL = 6;
/** Warning: a radial packet declares 0 radials or bins, or too many. */
export const WARN_BAD_DIMENSIONS = 7;
/** Warning: packet 28 codes outside 0-65535 were clamped to that range. */
export const WARN_CLAMPED_CODES = 9;

/** Data kind: the product carries no data array. */
export const DATA_NONE = 0;
/** Data kind: radials (packets 16, 0xAF1F, 28). */
export const DATA_RADIAL = 1;
/** Data kind: a raster grid (packets 0xBA07, 0xBA0F, 17). */
export const DATA_GRID = 2;

// Int32 slots of the result header, in order.
export const SLOT_STATUS = 0;
/** Byte offset of the problem that set the status. */
export const SLOT_STATUS_OFFSET = 1;
export const SLOT_MESSAGE_CODE = 2;
export const SLOT_MESSAGE_DATE = 3;
export const SLOT_MESSAGE_TIME = 4;
export const SLOT_MESSAGE_LENGTH = 5;
export const SLOT_SOURCE_ID = 6;
export const SLOT_DESTINATION_ID = 7;
export const SLOT_BLOCK_COUNT = 8;
/** Latitude in thousandths of a degree (halfwords 11-12). */
export const SLOT_LATITUDE = 9;
/** Longitude in thousandths of a degree (halfwords 13-14). */
export const SLOT_LONGITUDE = 10;
/** Site height above mean sea level in feet (halfword 15). */
export const SLOT_HEIGHT_FT = 11;
export const SLOT_PRODUCT_CODE = 12;
export const SLOT_OPERATIONAL_MODE = 13;
export const SLOT_VCP = 14;
export const SLOT_SEQUENCE_NUMBER = 15;
export const SLOT_VOLUME_SCAN_NUMBER = 16;
export const SLOT_VOLUME_DATE = 17;
export const SLOT_VOLUME_TIME = 18;
export const SLOT_GENERATION_DATE = 19;
export const SLOT_GENERATION_TIME = 20;
export const SLOT_ELEVATION_NUMBER = 21;
export const SLOT_VERSION = 22;
export const SLOT_SPOT_BLANK = 23;
/** Offsets in halfwords from the message start (halfwords 55-60). */
export const SLOT_SYMBOLOGY_OFFSET = 24;
export const SLOT_GRAPHIC_OFFSET = 25;
export const SLOT_TABULAR_OFFSET = 26;
/** 1 when the symbology block was bzip2-compressed, else 0. */
export const SLOT_COMPRESSED = 27;
/** Bytes after the description block once decompressed. */
export const SLOT_UNCOMPRESSED_SIZE = 28;
export const SLOT_LAYER_COUNT = 29;
export const SLOT_PACKET_COUNT = 30;
export const SLOT_LAYERS_OFFSET = 31;
export const SLOT_WARNING_COUNT = 32;
export const SLOT_WARNINGS_OFFSET = 33;
/** One of the DATA_ kinds. */
export const SLOT_DATA_KIND = 34;
export const SLOT_DATA_PACKET = 35;
/** Radials, or grid rows. */
export const SLOT_RADIAL_COUNT = 36;
/** Bins of the longest radial, or grid columns. */
export const SLOT_BIN_COUNT = 37;
/** Index of the first range bin (packets 16, 0xAF1F). */
export const SLOT_FIRST_BIN = 38;
/** Range scale factor x 1000 (packets 16, 0xAF1F). */
export const SLOT_RANGE_SCALE = 39;
/** I and J of the sweep centre or raster start, in 1/4 km units. */
export const SLOT_I_COORDINATE = 40;
export const SLOT_J_COORDINATE = 41;
/** Raster x and y scale, integer part (packets 0xBA07, 0xBA0F). */
export const SLOT_X_SCALE = 42;
export const SLOT_Y_SCALE = 43;
/** Bytes per raw code: 1, or 2 for the 32-bit XDR codes of packet 28. */
export const SLOT_CODE_BYTES = 44;
/** Float32 bits of the packet 28 first-gate range and gate width, metres. */
export const SLOT_FIRST_GATE_M_BITS = 45;
export const SLOT_GATE_WIDTH_M_BITS = 46;
export const SLOT_AZIMUTHS_OFFSET = 47;
export const SLOT_CODES_OFFSET = 48;
/** Codes of packet 28 outside 0-65535, clamped to that range. */
export const SLOT_CLAMPED_CODES = 49;
export const RESULT_SLOTS = 50;

/** Bytes of the int32 slots. */
export const RESULT_HEADER_BYTES = RESULT_SLOTS * 4;
/** Byte offset of the 16 threshold halfwords. */
export const THRESHOLDS_OFFSET = RESULT_HEADER_BYTES;
/** Byte offset of halfwords 27, 28, 30 and 47-53, in that order. */
export const DEPENDENT_OFFSET = THRESHOLDS_OFFSET + 32;
/** Byte offset of the variable part. */
export const VARIABLE_OFFSET = DEPENDENT_OFFSET + 20;
