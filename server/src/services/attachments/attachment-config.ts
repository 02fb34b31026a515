import * as v from 'valibot';
import { SNIFFABLE_TYPES } from './content-sniffer';

/** Ten megabytes: the default largest attachment. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The `attachments` section of the config file: the largest file in bytes and
 * the content types allowed. Types are those the server can recognise by their
 * bytes; SVG and HTML are never among them (they can carry scripts).
 */
export const AttachmentsConfigSchema = v.object({
  maxBytes: v.optional(
    v.pipe(v.number('expected a number of bytes'), v.integer('expected whole bytes'), v.minValue(1), v.maxValue(100 * 1024 * 1024, 'at most 100 MB')),
    DEFAULT_MAX_BYTES,
  ),
  types: v.optional(
    v.pipe(v.array(v.picklist(SNIFFABLE_TYPES, `expected one of ${SNIFFABLE_TYPES.join(', ')}`)), v.nonEmpty('expected at least one type')),
    [...SNIFFABLE_TYPES],
  ),
});
export type AttachmentsConfig = v.InferOutput<typeof AttachmentsConfigSchema>;
