import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { io } from 'socket.io-client';
import type { Ack, ConversationRating, StartConversationResult } from '../../protocol/src/index';
import { artifacts, signIn } from './helpers';

test('the agent sees "Not rated" on a closed conversation, then the visitor’s rating arrive live, as text', async ({ browser, request, baseURL }) => {
  const name = `Rita ${Date.now().toString(36)}`;
  // the visitor starts over HTTP and rates over their own socket (the widget's rating screen has its own spec)
  const started = await request.post('/api/v1/sites/demo/conversations', {
    data: { answers: { name, email: 'rita@example.com', inquiryType: 'billing' }, consent: true, pageUrl: `${baseURL}/` },
  });
  expect(started.status()).toBe(201);
  const { token, conversationId } = (await started.json()) as StartConversationResult;
  const visitor = io(`${baseURL}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false });

  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const agent = await context.newPage();
    await signIn(agent);
    await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
    const contact = agent.getByRole('complementary', { name: 'Contact' });
    await expect(contact).toContainText(name);
    // open and unrated: no rating section yet
    await expect(contact.getByRole('heading', { name: 'Rating' })).toHaveCount(0);

    expect((await agent.request.post(`/api/v1/conversations/${conversationId}/close`, { data: {} })).status()).toBe(200);
    const rating = contact.getByRole('region', { name: 'Rating' });
    await expect(rating).toContainText('Not rated');

    const comment = 'Fast and <b>kind</b> 👍 спасибо';
    const ack = (await visitor.timeout(5000).emitWithAck('conversation:rate', { conversationId, score: 4, comment })) as Ack<{ rating: ConversationRating }>;
    expect(ack).toMatchObject({ ok: true, data: { rating: { score: 4, comment } } });

    // the open detail refreshes on its own: score in words, stars hidden from assistive technology, comment as text
    await expect(rating).toContainText('4 of 5 — Good');
    await expect(rating.getByRole('definition').filter({ hasText: comment })).toHaveText(comment);
    await expect(rating.locator('b')).toHaveCount(0);
    await expect(rating.locator('.stars')).toHaveAttribute('aria-hidden', 'true');
    await expect(rating.locator('.star.on')).toHaveCount(4);
    await expect(agent.getByRole('main')).toContainText('Rated 4 of 5 — Good');
    await contact.screenshot({ path: `${artifacts}/console-rating.png` });
    await agent.screenshot({ path: `${artifacts}/console-rating-page.png` });
    const axe = await new AxeBuilder({ page: agent }).include('.contact').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // rating again replaces what the agent sees
    await visitor.timeout(5000).emitWithAck('conversation:rate', { conversationId, score: 2, comment: '   ' });
    await expect(rating).toContainText('2 of 5 — Poor');
    await expect(rating).not.toContainText(comment);

    // the ratings report counts it
    const report = await agent.request.get('/api/v1/reports/ratings?siteId=demo');
    expect(report.status()).toBe(200);
    const figures = (await report.json()) as { count: number; distribution: Record<string, number> };
    expect(figures.count).toBeGreaterThanOrEqual(1);
    expect(figures.distribution['2']).toBeGreaterThanOrEqual(1);
    await context.close();
  } finally {
    visitor.disconnect();
  }
});
