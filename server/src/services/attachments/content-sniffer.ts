/** The content types the server recognises by their first bytes. */
export const SNIFFABLE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export type SniffableType = (typeof SNIFFABLE_TYPES)[number];

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** Each type's signature: bytes expected at an offset (null matches any byte). */
const SIGNATURES: { type: SniffableType; parts: { at: number; bytes: (number | null)[] }[] }[] = [
  { type: 'image/png', parts: [{ at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }] },
  { type: 'image/jpeg', parts: [{ at: 0, bytes: [0xff, 0xd8, 0xff] }] },
  { type: 'image/gif', parts: [{ at: 0, bytes: [...ascii('GIF8'), null, 0x61] }] },
  { type: 'image/webp', parts: [{ at: 0, bytes: ascii('RIFF') }, { at: 8, bytes: ascii('WEBP') }] },
  { type: 'application/pdf', parts: [{ at: 0, bytes: ascii('%PDF-') }] },
];

/**
 * The content type of a file judged by its bytes alone (magic numbers), or
 * null when it is none of the types the server knows. The name's extension
 * and the browser's claim are never consulted.
 */
export function sniffContentType(bytes: Uint8Array): SniffableType | null {
  for (const { type, parts } of SIGNATURES) {
    const matches = parts.every(({ at, bytes: expected }) =>
      expected.every((b, i) => at + i < bytes.length && (b === null || bytes[at + i] === b)),
    );
    if (!matches) continue;
    // GIF8 must be followed by 7a or 9a
    if (type === 'image/gif' && bytes[4] !== 0x37 && bytes[4] !== 0x39) continue;
    return type;
  }
  return null;
}

/** Whether a type is shown as an image (with a thumbnail) rather than as a file. */
export const isImageType = (type: string): boolean => type.startsWith('image/');

/** The file-name extensions each type may carry. */
const EXTENSIONS: Record<SniffableType, string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jfif', 'pjpeg', 'pjp'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
};

/** A short name of a type for people: `image/png` → "PNG". */
export const typeLabel = (type: string): string => (type.split('/')[1] ?? type).toUpperCase();

/**
 * A name that tells the truth about its bytes: one without an extension gains
 * the detected type's; one whose extension names another type is null (the
 * file is refused, as `invoice.png` holding a PDF would mislead its reader).
 */
export function nameForType(name: string, type: SniffableType): string | null {
  const dot = name.lastIndexOf('.');
  const allowed = EXTENSIONS[type];
  if (dot <= 0) return `${name}.${allowed[0]}`;
  return allowed.includes(name.slice(dot + 1).toLowerCase()) ? name : null;
}
