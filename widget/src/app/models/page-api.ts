/**
 * The page's calls that need the app: `ChatWidget.setUser`, `setAttributes`, `sendMessage` and
 * `reset`. A chunk of its own, loaded on the first such call, so a site that never makes them
 * downloads none of it (the widget's budget is what every visitor pays).
 */
import { effect } from '@preact/signals-core';
import type { IdentifyResult } from '../../../../protocol/src/index';
import { fromInit } from '../../overrides';
import { siteApi } from '../api';
import type { WidgetModel } from './widget-model';

/** `setAttributes` values waiting for a token (the survey) or for their request. */
let waiting: object | undefined;
let watching = false;

function sendAttributes(model: WidgetModel): void {
  const token = model.stored.value?.token;
  const body = waiting && token && { attributes: waiting };
  if (!body) return;
  waiting = undefined;
  siteApi(model.opts.origin, model.opts.siteId, 'attributes', token, body).catch((err: Error) => model.emit('error', { code: 'attributes', message: err.message }));
}

/**
 * `setUser`: the shop's name, email and phone fill the survey; with `id` and `identifierHash` the
 * server verifies the user and this browser joins their contact (their history on any device). Asked
 * once per user per browser, so a page may call it on every page view.
 */
async function setUser(model: WidgetModel, input: unknown): Promise<void> {
  const u = Object(input) as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof u[key] == 'string' || typeof u[key] == 'number' ? String(u[key]) : undefined);
  const facts = { name: text('name'), email: text('email'), phone: text('phone') };
  model.overrides.value = fromInit(model.overrides.value, { values: facts });
  const userId = text('id');
  const hash = text('identifierHash');
  const s = model.stored.value;
  if (!userId || !hash || (s?.userId == userId && s.token)) return;
  try {
    const r = await siteApi<IdentifyResult>(model.opts.origin, model.opts.siteId, 'identify', s?.token, { userId, hash, ...facts });
    // the same token (this browser's contact became or joined the user's) keeps its chat; a new one shows the user's
    const kept = !r.token && s;
    model.rejoin({ token: r.token ?? s?.token, contactId: r.contactId, userId, conversationId: (kept && s.conversationId) || r.conversationId || undefined, outbox: (kept && s.outbox) || [] });
    sendAttributes(model);
  } catch (err) {
    model.emit('error', { code: 'identify', message: (err as Error).message });
  }
}

export function pageCall(model: WidgetModel, name: string, arg: unknown): void {
  if (name == 'setUser') void setUser(model, arg);
  else if (name == 'setAttributes') {
    if (arg && typeof arg == 'object' && !Array.isArray(arg)) waiting = { ...waiting, ...arg };
    else return model.emit('error', { code: 'attributes', message: 'setAttributes expects an object' });
    // sent now with a token, else once the survey gave one
    if (watching) return sendAttributes(model);
    watching = true;
    effect(() => {
      if (model.stored.value?.token) sendAttributes(model);
    });
  } else if (name == 'reset') {
    waiting = undefined;
    model.startOver();
    model.save(null);
    model.close();
  } else if (name == 'sendMessage')
    // a message from the page goes into the visitor's open chat; with none, the page hears why
    void model.opts.config.then(() =>
      typeof arg == 'string' && model.view.value == 'chat'
        ? model.sendMessage(arg)
        : model.emit('error', { code: 'no_conversation', message: 'sendMessage needs an open conversation: the visitor starts one with the survey' }),
    );
}
