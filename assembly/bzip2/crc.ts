// CRC-32 of bzip2: polynomial 0x04C11DB7 fed most significant bit first,
// initial value 0xFFFFFFFF, final complement (the CRC of POSIX cksum
// without the length suffix).
//
// The register after a byte b is A(register) ^ BYTE_TABLE[b], where A is
// the linear map "shift in a zero byte". So 2^k copies of a byte v turn
// the register r into A^(2^k)(r) ^ R_k(v), where R_k(v) is what they leave
// in a register that starts at zero. A run of n copies then takes one such
// step per set bit of n instead of n table lookups, which matters because
// most bytes of a NEXRAD record come from runs.

const POLYNOMIAL: u32 = 0x04c11db7;

/** Powers 2^0 to 2^7: enough for the runs of up to 255 copies of bzip2. */
const RUN_POWERS = 8;

/** The register after one byte b, starting from zero. */
const BYTE_TABLE = buildByteTable();
/** Per power k: A^(2^k) as four 256-entry tables, one per register byte. */
const SHIFT_TABLES = buildShiftTables();
/** Per power k: R_k(v) for every byte value v. */
const RUN_TABLES = buildRunTables();

/** Initial value of a running CRC, before any byte. */
export const CRC_INITIAL: u32 = 0xffffffff;

/** Address of the byte table, for loops that update the CRC inline. */
export function crcByteTable(): usize {
  return changetype<usize>(BYTE_TABLE);
}

/** Feeds one byte into the running `crc`, given `crcByteTable()`. */
export function crcUpdateByte(table: usize, crc: u32, value: u32): u32 {
  return (crc << 8) ^ load<u32>(table + (<usize> ((crc >>> 24) ^ value) << 2));
}

/** Feeds `count` (0 to 255) copies of the byte `value` into `crc`. */
export function crcUpdateRun(crc: u32, value: u32, count: u32): u32 {
  const runs = changetype<usize>(RUN_TABLES) + (<usize> value << 2);
  let power = 0;
  while (count != 0) {
    if (count & 1) {
      crc = shift(SHIFT_TABLES, power, crc) ^
        load<u32>(runs + (<usize> power << 10));
    }
    count >>= 1;
    power++;
  }
  return crc;
}

function shift(tables: StaticArray<u32>, power: i32, crc: u32): u32 {
  const lanes = changetype<usize>(tables) + (<usize> power << 12);
  return load<u32>(lanes + (<usize> (crc & 0xff) << 2)) ^
    load<u32>(lanes + (<usize> (256 + ((crc >>> 8) & 0xff)) << 2)) ^
    load<u32>(lanes + (<usize> (512 + ((crc >>> 16) & 0xff)) << 2)) ^
    load<u32>(lanes + (<usize> (768 + (crc >>> 24)) << 2));
}

function buildByteTable(): StaticArray<u32> {
  const table = new StaticArray<u32>(256);
  for (let b: u32 = 0; b < 256; b++) {
    let crc = b << 24;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80000000 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
    }
    table[b] = crc;
  }
  return table;
}

function buildShiftTables(): StaticArray<u32> {
  const tables = new StaticArray<u32>(RUN_POWERS * 1024);
  // A itself: shift the register left by a byte, fold the byte shifted out.
  for (let lane = 0; lane < 4; lane++) {
    for (let b: u32 = 0; b < 256; b++) {
      const register = b << (<u32> lane << 3);
      tables[lane * 256 + b] = (register << 8) ^ BYTE_TABLE[register >>> 24];
    }
  }
  // A^(2^k) applies A^(2^(k-1)) twice.
  for (let power = 1; power < RUN_POWERS; power++) {
    for (let lane = 0; lane < 4; lane++) {
      for (let b: u32 = 0; b < 256; b++) {
        const register = b << (<u32> lane << 3);
        const half = shift(tables, power - 1, register);
        tables[power * 1024 + lane * 256 + b] = shift(tables, power - 1, half);
      }
    }
  }
  return tables;
}

function buildRunTables(): StaticArray<u32> {
  const tables = new StaticArray<u32>(RUN_POWERS * 256);
  for (let v = 0; v < 256; v++) tables[v] = BYTE_TABLE[v];
  // 2^k copies are 2^(k-1) copies twice over.
  for (let power = 1; power < RUN_POWERS; power++) {
    for (let v = 0; v < 256; v++) {
      const half = tables[(power - 1) * 256 + v];
      tables[power * 256 + v] = shift(SHIFT_TABLES, power - 1, half) ^ half;
    }
  }
  return tables;
}
