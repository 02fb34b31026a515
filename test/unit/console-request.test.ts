import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, request } from '../../console/src/api';
import { createAutoReplyApi } from '../../console/src/auto-reply-api';
import { createRoutingApi } from '../../console/src/routing-api';

const calls: { url: string; init: RequestInit }[] = [];
function answer(respond: () => Response | Promise<Response>) {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond();
  });
}
afterEach(() => {
  vi.unstubAllGlobals();
  calls.length = 0;
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the console’s one request wrapper', () => {
  it('sends JSON with the session cookie and reads JSON back', async () => {
    answer(() => json(200, { ok: 1 }));
    expect(await request<{ ok: number }>('/api/v1', 'PUT', '/x', { a: '<b>' })).toEqual({ ok: 1 });
    expect(calls[0]?.url).toBe('/api/v1/x');
    expect(calls[0]?.init).toMatchObject({ method: 'PUT', credentials: 'same-origin', body: '{"a":"<b>"}' });
    expect((calls[0]?.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('turns a failed connection, a problem and a non-JSON error into ApiErrors; 204 into undefined', async () => {
    answer(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(request('/api/v1', 'GET', '/x')).rejects.toMatchObject({ name: 'ApiError', status: 0, code: 'network_error' });
    answer(() => json(422, { title: 'Invalid', detail: 'value.welcome.text: unknown variable', code: 'invalid_payload', issues: [{ path: 'value', message: 'bad' }] }));
    const problem = await request('/api/v1', 'PUT', '/x', {}).catch((e: unknown) => e);
    expect(problem).toBeInstanceOf(ApiError);
    expect(problem).toMatchObject({ status: 422, code: 'invalid_payload', message: 'value.welcome.text: unknown variable', issues: [{ path: 'value', message: 'bad' }] });
    answer(() => new Response('<html>gateway</html>', { status: 502 }));
    await expect(request('/api/v1', 'GET', '/x')).rejects.toMatchObject({ status: 502, code: 'http_error', message: 'Request failed (502)' });
    answer(() => new Response(null, { status: 204 }));
    expect(await request('/api/v1', 'POST', '/auth/logout', {})).toBeUndefined();
  });

  it('is the one all three clients use, with the same errors', async () => {
    answer(() => json(403, { title: 'Forbidden', code: 'forbidden' }));
    for (const call of [
      () => createApi().login('a@b.co', 'pw'),
      () => createAutoReplyApi().settings(),
      () => createRoutingApi().createAgent({ email: 'x@y.z' }),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'ApiError', status: 403, code: 'forbidden', message: 'Forbidden' });
    }
    answer(() => new Response(null, { status: 401 }));
    expect(await createApi().me()).toBeNull();
    answer(() => json(200, { quickReplies: [{ shortcut: 'hi' }] }));
    expect(await createAutoReplyApi('/base').quickReplies('a/b')).toEqual([{ shortcut: 'hi' }]);
    expect(calls.at(-1)?.url).toBe('/base/conversations/a%2Fb/quick-replies');
  });
});
