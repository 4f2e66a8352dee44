// Status codes of the bzip2 decoder, shared by AssemblyScript and the
// TypeScript side, so this file must stay plain TypeScript.

/** The input decompressed completely and every CRC matched. */
export const BZIP2_OK = 0;
/** A stream does not start with "BZh" and a block size digit 1-9. */
export const BZIP2_BAD_MAGIC = 1;
/** A block header field is invalid: magic, origin pointer or tables. */
export const BZIP2_BAD_BLOCK_HEADER = 2;
/** A Huffman code table is invalid or a code matches no symbol. */
export const BZIP2_BAD_HUFFMAN = 3;
/** The block's symbols overflow the block size or a run is too long. */
export const BZIP2_BAD_BLOCK_DATA = 4;
/** A block's decompressed bytes do not match the block CRC. */
export const BZIP2_CRC_MISMATCH = 5;
/** The combined CRC of a stream's blocks does not match the stream CRC. */
export const BZIP2_STREAM_CRC_MISMATCH = 6;
/** The input ends before the end-of-stream marker and stream CRC. */
export const BZIP2_TRUNCATED = 7;
/** The output would exceed the ceiling the caller set. */
export const BZIP2_OUTPUT_LIMIT = 8;
