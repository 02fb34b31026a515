import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../server/src/config/load';
import { defaultGlobalLimits, defaultSiteLimits } from '../../server/src/services/limits/limits-config';
import { WIDGET_LANGUAGES, limitTexts } from '../../server/src/i18n/widget-texts';
import { configProblems as problems } from '../helpers/config';
import { demoConfig } from '../helpers/server';

const site = (limits: unknown) => ({ sites: { demo: { name: 'Demo', limits } } });
const global = (limits: unknown) => ({ sites: { demo: { name: 'Demo' } }, limits });

describe('limits in the config file', () => {
  it('fills every limit with its default when a site names none', () => {
    const config = validateConfig({ sites: { shop: { name: 'Shop' } } });
    expect(config.sites.shop?.limits).toEqual(defaultSiteLimits);
    expect(config.limits).toEqual(defaultGlobalLimits);
    expect(defaultSiteLimits.conversations).toEqual({ perAddress: 20, perVisitor: 10, windowSeconds: 3600 });
    expect(defaultSiteLimits.messages).toEqual({ perAddress: 120, perVisitor: 30, windowSeconds: 60, burst: { perVisitor: 10, windowSeconds: 5 } });
    expect(defaultGlobalLimits.agents.messages).toEqual({ perAgent: 120, windowSeconds: 60 });
    expect(demoConfig().sites.demo?.limits).toEqual(defaultSiteLimits);
  });

  it('keeps the defaults of the settings a site leaves out', () => {
    const config = validateConfig(site({ messages: { perVisitor: 60, burst: { windowSeconds: 10 } }, typing: { perAddress: 50 } }));
    expect(config.sites.demo?.limits.messages).toEqual({ perAddress: 120, perVisitor: 60, windowSeconds: 60, burst: { perVisitor: 10, windowSeconds: 10 } });
    expect(config.sites.demo?.limits.typing).toEqual({ perAddress: 50, perVisitor: 5, windowSeconds: 1 });
  });

  it.each([
    [site({ conversations: { perAddress: 0 } }), 'sites.demo.limits.conversations.perAddress: expected at least 1 conversation'],
    [site({ conversations: { windowSeconds: 1.5 } }), 'sites.demo.limits.conversations.windowSeconds: expected whole seconds'],
    [site({ messages: { perVistor: 3 } }), 'sites.demo.limits.messages.perVistor: unknown setting: expected perAddress, perVisitor, windowSeconds or burst (received "perVistor")'],
    [site({ messages: { burst: { perVisitor: -2 } } }), 'sites.demo.limits.messages.burst.perVisitor: expected at least 1 message'],
    [site({ typing: { perAddress: 'many' } }), 'sites.demo.limits.typing.perAddress: expected a number of events (received "many")'],
    [site({ attachmentBytes: { perVisitor: 2.5 } }), 'sites.demo.limits.attachmentBytes.perVisitor: expected a whole number of bytes'],
    [site({ ratings: { windowSeconds: 0 } }), 'sites.demo.limits.ratings.windowSeconds: expected at least 1 second'],
    [site({ pageViews: { windowSeconds: 10_000_000 } }), 'sites.demo.limits.pageViews.windowSeconds: expected at most a week (604800 seconds)'],
    [site({ unreadChecks: { perDay: 4 } }), 'sites.demo.limits.unreadChecks.perDay: unknown setting: expected perAddress, perVisitor or windowSeconds (received "perDay")'],
    [site({ chats: { perAddress: 4 } }), 'sites.demo.limits.chats: unknown limit: expected conversations, messages, typing, attachmentBytes, ratings, pageViews, unreadChecks or identity (received "chats")'],
    [global({ agents: { messages: { perAgent: 0 } } }), 'limits.agents.messages.perAgent: expected at least 1 message'],
    [global({ agents: { messages: { windowSeconds: 'a minute' } } }), 'limits.agents.messages.windowSeconds: expected a number of seconds (received "a minute")'],
    [global({ agent: {} }), 'limits.agent: unknown limit: expected agents (received "agent")'],
  ])('reports a bad limit at its exact path: %#', (input, problem) => {
    expect(problems(input)).toEqual([problem]);
  });
});

describe('the survey’s refusal sentence', () => {
  it.each(WIDGET_LANGUAGES)('is written in %s', (lang) => {
    const text = limitTexts(lang).tooManyChats;
    expect(text.trim()).toBe(text);
    expect(text.length).toBeGreaterThan(10);
    if (lang !== 'en') expect(text).not.toBe(limitTexts('en').tooManyChats);
  });
});
