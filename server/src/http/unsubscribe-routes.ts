import express, { type Response, Router } from 'express';
import { emailDirection, emailTexts, fill } from '../i18n/email-texts';
import { escapeHtml } from '../services/follow-ups/email/render';
import type { UnsubscribeTarget, Unsubscribes } from '../services/follow-ups/email/unsubscribes';

/** A tiny self-contained page: no script, styles inline, in the contact's language. */
function page(res: Response, status: number, language: string | null, title: string, body: string): void {
  const lang = escapeHtml(language ?? 'en');
  res
    .status(status)
    .set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' })
    .type('html')
    .send(
      `<!doctype html><html lang="${lang}" dir="${emailDirection(language)}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
        `<style>body{margin:0;padding:48px 16px;background:#f6f8fa;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328}` +
        `main{max-width:480px;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px}` +
        `h1{font-size:20px;margin:0 0 12px}button{font:inherit;background:#cf222e;color:#fff;border:0;border-radius:6px;padding:10px 16px;cursor:pointer}</style>` +
        `</head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

function badLink(res: Response): void {
  const t = emailTexts('en');
  page(res, 400, 'en', t.badLinkTitle, `<p>${escapeHtml(t.badLinkText)}</p>`);
}

const siteValues = (target: UnsubscribeTarget) => ({ site: target.siteName });

/**
 * `/follow-ups/unsubscribe?c=<contact>&s=<signature>`, public: GET shows a question and a
 * button and changes nothing (mail scanners fetch links); POST, from that button or a mail
 * client's one-click unsubscribe (RFC 8058, `List-Unsubscribe=One-Click`), opts the contact out.
 */
export function unsubscribeRoutes(unsubscribes: Unsubscribes): Router {
  const router = Router();
  const path = '/follow-ups/unsubscribe';

  router.get(path, async (req, res) => {
    const target = await unsubscribes.target(req.query);
    if (!target) return badLink(res);
    const t = emailTexts(target.language);
    // no action: the form posts back to this very URL, signature included
    page(
      res,
      200,
      target.language,
      fill(t.unsubscribeQuestion, siteValues(target)),
      `<p>${escapeHtml(fill(t.unsubscribeExplain, siteValues(target)))}</p>` +
        `<form method="post"><input type="hidden" name="from" value="page"><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></form>`,
    );
  });

  router.post(path, express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const detail = body.from === 'page' ? 'unsubscribe page' : body['List-Unsubscribe'] === 'One-Click' ? 'one-click (RFC 8058)' : 'unsubscribe link';
    const target = await unsubscribes.optOut(req.query, detail);
    if (!target) return badLink(res);
    const t = emailTexts(target.language);
    page(res, 200, target.language, t.unsubscribedTitle, `<p>${escapeHtml(fill(t.unsubscribedText, siteValues(target)))}</p>`);
  });

  return router;
}
