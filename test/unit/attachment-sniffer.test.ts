import { describe, expect, it } from 'vitest';
import { nameForType, sniffContentType } from '../../server/src/services/attachments/content-sniffer';
import { contentDisposition, sanitizeFileName } from '../../server/src/services/attachments/file-name';
import { exeBytes, gifBytes, htmlBytes, jpegBytes, pdfBytes, pngBytes, svgBytes, webpBytes } from '../fixtures/attachment-files';

describe('content sniffing', () => {
  it.each([
    ['a PNG', pngBytes(), 'image/png'],
    ['a JPEG', jpegBytes(), 'image/jpeg'],
    ['a GIF', gifBytes(), 'image/gif'],
    ['a WebP', webpBytes(), 'image/webp'],
    ['a PDF', pdfBytes(), 'application/pdf'],
  ])('recognises %s by its bytes', (_name, bytes, type) => {
    expect(sniffContentType(bytes)).toBe(type);
  });

  it.each([
    ['HTML with a script', htmlBytes()],
    ['SVG with a script', svgBytes()],
    ['a Windows executable', exeBytes()],
    ['plain text', Buffer.from('hello, this is not an image')],
    ['nothing at all', Buffer.alloc(0)],
    ['a truncated PNG signature', pngBytes().subarray(0, 5)],
    ['a RIFF file that is not WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')])],
    ['GIF8 followed by the wrong version', Buffer.from('GIF85a......')],
  ])('knows %s is none of the allowed types', (_name, bytes) => {
    expect(sniffContentType(bytes)).toBeNull();
  });
});

describe('file names', () => {
  it('drops directories given by either kind of slash', () => {
    expect(sanitizeFileName('..%2F..%2Fetc%2Fpasswd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\ana\\photo.png')).toBe('photo.png');
  });

  it('removes bidi overrides so gnp.exe cannot pose as exe.png, and control characters', () => {
    expect(sanitizeFileName(encodeURIComponent('photo\u202Egnp.exe'))).toBe('photognp.exe');
    expect(sanitizeFileName(encodeURIComponent('a\u0000b\u001bc\u2066d\u200f.pdf'))).toBe('abcd.pdf');
  });

  it('keeps HTML-looking names as text (the slash of a closing tag counts as a directory)', () => {
    expect(sanitizeFileName(encodeURIComponent('<img src=x onerror=alert(1)>.png'))).toBe('<img src=x onerror=alert(1)>.png');
    expect(sanitizeFileName(encodeURIComponent('<script>alert(1)</script>.png'))).toBe('script>.png');
  });

  it('keeps unicode names and cuts long ones to 200 characters', () => {
    expect(sanitizeFileName(encodeURIComponent('Überweisung 請求書 ✓.pdf'))).toBe('Überweisung 請求書 ✓.pdf');
    expect([...sanitizeFileName('😀'.repeat(500))]).toHaveLength(200);
    const long = sanitizeFileName(`${'ж'.repeat(400)}.pdf`);
    expect([...long]).toHaveLength(200);
    expect(long.endsWith('ж.pdf')).toBe(true);
  });

  it('falls back to "file" for empty, dot-only or undecodable names', () => {
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName('...')).toBe('file');
    expect(sanitizeFileName('%E0%A4%A')).toBe('%E0%A4%A');
    expect(sanitizeFileName('%2F')).toBe('file');
  });

  it('writes Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('inline', 'Ünïcode "quoted".png')).toBe(
      `inline; filename="_n_code _quoted_.png"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22quoted%22.png`,
    );
  });
});

describe('names that must tell the truth about their bytes', () => {
  it.each([
    ['photo.png', 'image/png', 'photo.png'],
    ['PHOTO.JPEG', 'image/jpeg', 'PHOTO.JPEG'],
    ['scan', 'application/pdf', 'scan.pdf'],
    ['invoice.png', 'application/pdf', null],
    ['gnp.exe', 'image/png', null],
    ['.png', 'image/png', '.png.png'],
  ] as const)('takes %s holding %s as %s', (name, type, expected) => {
    expect(nameForType(name, type)).toBe(expected);
  });
});
