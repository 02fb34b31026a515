// How the build precompresses what it writes, and so how scripts/size.mjs weighs it: Brotli at
// quality 11 and gzip at level 9, each file on its own.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const BROTLI_QUALITY = 11;
export const GZIP_LEVEL = 9;

/** The bytes as Brotli, quality 11. */
export const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });

/** The bytes as gzip, level 9. */
export const gzip = (bytes) => gzipSync(bytes, { level: GZIP_LEVEL });
