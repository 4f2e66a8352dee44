// CRC-32 of bzip2: polynomial 0x04C11DB7 fed most significant bit first,
// initial value 0xFFFFFFFF, final complement (the CRC of POSIX cksum
// without the length suffix). Computed eight bytes at a time
// ("slicing-by-8"): table k holds the CRC of a byte followed by k zero bytes.

const POLYNOMIAL: u32 = 0x04c11db7;

const CRC_TABLES = buildTables();

function buildTables(): StaticArray<u32> {
  const tables = new StaticArray<u32>(8 * 256);
  for (let b: u32 = 0; b < 256; b++) {
    let crc = b << 24;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80000000 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
    }
    tables[b] = crc;
  }
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const previous = tables[(k - 1) * 256 + b];
      tables[k * 256 + b] = (previous << 8) ^ tables[previous >>> 24];
    }
  }
  return tables;
}

/** Initial value of a running CRC, before any byte. */
export const CRC_INITIAL: u32 = 0xffffffff;

/**
 * Feeds `length` bytes at `pointer` into the running `crc` and returns the
 * updated value; complement it with `~` once the last byte is in.
 */
export function crcUpdate(crc: u32, pointer: usize, length: usize): u32 {
  const tables = changetype<usize>(CRC_TABLES);
  const end = pointer + length;

  while (pointer + 8 <= end) {
    const x = crc ^ bswap<u32>(load<u32>(pointer));
    const y = load<u32>(pointer, 4);
    crc = load<u32>(tables + ((7 * 256 + (x >>> 24)) << 2)) ^
      load<u32>(tables + ((6 * 256 + ((x >>> 16) & 0xff)) << 2)) ^
      load<u32>(tables + ((5 * 256 + ((x >>> 8) & 0xff)) << 2)) ^
      load<u32>(tables + ((4 * 256 + (x & 0xff)) << 2)) ^
      load<u32>(tables + ((3 * 256 + (y & 0xff)) << 2)) ^
      load<u32>(tables + ((2 * 256 + ((y >>> 8) & 0xff)) << 2)) ^
      load<u32>(tables + ((256 + ((y >>> 16) & 0xff)) << 2)) ^
      load<u32>(tables + ((y >>> 24) << 2));
    pointer += 8;
  }
  while (pointer < end) {
    const index = (crc >>> 24) ^ <u32> load<u8>(pointer);
    crc = (crc << 8) ^ load<u32>(tables + (index << 2));
    pointer++;
  }
  return crc;
}
