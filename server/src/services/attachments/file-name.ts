/** Longest file name kept, in characters. */
export const MAX_FILE_NAME = 200;

// C0/C1 controls, and the bidi embeddings, overrides and isolates that can make `gnp.exe` read as `exe.png`
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name safe to store and show: the `X-File-Name` header percent-decoded,
 * any directory part dropped, control and bidi-control characters removed,
 * trimmed, and cut to 200 characters (keeping its extension). An empty or undecodable name becomes
 * `fallback`.
 */
export function sanitizeFileName(raw: string | undefined, fallback = 'file'): string {
  if (!raw) return fallback;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  name = name.replace(UNSAFE, '');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).trim();
  name = name.replace(/^\.+/, '').trim();
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME) {
    // cut the stem, keep a short extension: the extension says what the file is
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? [...name.slice(dot)] : [];
    name = chars.slice(0, MAX_FILE_NAME - extension.length).join('') + extension.join('');
  }
  return name || fallback;
}

/** A `Content-Disposition` value naming the file in UTF-8 (RFC 6266 / 8187), with an ASCII fallback. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
