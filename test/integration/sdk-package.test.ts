import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The npm package `parley-chat` (sdk/) as a shop's developer gets it: `npm pack`, installed from the
 * tarball into a fresh folder, imported, and a small app type-checked against its types, including
 * calls the types must refuse.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'parley-sdk-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the parley-chat package', () => {
  it('packs only its built module, types and readme; a fresh app installs it, imports it, and type-checks against it', () => {
    if (!existsSync(join(ROOT, 'sdk/dist/widget.js')) || !existsSync(join(ROOT, 'sdk/dist/widget.d.ts'))) run('npm', ['run', 'build:sdk', '--silent'], ROOT);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], join(ROOT, 'sdk'))) as { filename: string; files: { path: string }[] }[];
    expect(packed[0]!.files.map((f) => f.path).sort()).toEqual(['README.md', 'dist/widget.d.ts', 'dist/widget.js', 'package.json']);
    const tarball = join(work, packed[0]!.filename);

    const app = join(work, 'shop-app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'shop-app', private: true, type: 'module', dependencies: { 'parley-chat': `file:${tarball}` } }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
    expect(readdirSync(join(app, 'node_modules/parley-chat')).sort()).toEqual(['README.md', 'dist', 'package.json']);

    // importing it touches nothing (here there is no DOM at all), and it exports the whole API
    const exported = run(process.execPath, ['--input-type=module', '-e', "const w = await import('parley-chat/widget'); w.open(); w.unmount(); console.log(Object.keys(w).sort().join(','))"], app).trim();
    expect(exported.split(',')).toEqual(['close', 'hide', 'init', 'off', 'on', 'open', 'prefill', 'reset', 'sendMessage', 'setAttributes', 'setLocale', 'setUser', 'show', 'toggle', 'unmount']);

    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck: false }, include: ['src'] }),
    );
    mkdirSync(join(app, 'src'));
    writeFileSync(
      join(app, 'src/app.ts'),
      `import { init, on, off, setUser, setAttributes, sendMessage, reset, unmount, type WidgetEvents } from 'parley-chat/widget';

init({ server: 'https://chat.example.com', site: 'demo', locale: 'de', colors: { primary: '#0f766e' }, values: { orderId: 'A-1001' } });
const stop = on('conversation:started', ({ conversationId }) => console.log(conversationId.toUpperCase()));
on('unread:changed', (e) => document.title = \`(\${e.count.toFixed(0)}) Shop\`);
on('message:received', (m) => console.log(m.authorType, m.text, m.seq + 1));
const onError = (e: WidgetEvents['error']) => console.warn(e.code, e.message);
on('error', onError);
off('error', onError);
stop();
setUser({ id: 'user-42', name: 'Ana', email: 'ana@example.com', identifierHash: 'ab12' });
setAttributes({ plan: 'pro', seats: 12, trial: false, old: null });
sendMessage('Where is my order?');
reset();
unmount();

// what the types refuse
// @ts-expect-error: there is no such event
on('conversation:exploded', () => {});
// @ts-expect-error: the payload of unread:changed has no text
on('unread:changed', (e) => e.text);
// @ts-expect-error: init needs the server and the site
init({ locale: 'de' });
// @ts-expect-error: positions are left or right
init({ server: 'https://chat.example.com', site: 'demo', position: 'top' });
// @ts-expect-error: attributes are text, numbers, booleans or null
setAttributes({ plan: { nested: true } });
// @ts-expect-error: a message is text
sendMessage(42);
`,
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    expect(run(process.execPath, [tsc, '-p', app], app)).toBe('');
    // and a real mistake fails the check
    writeFileSync(join(app, 'src/wrong.ts'), `import { on } from 'parley-chat/widget';\non('ready', (n: number) => n);\n`);
    let output = '';
    try {
      run(process.execPath, [tsc, '-p', app], app);
    } catch (err) {
      output = String((err as { stdout?: string }).stdout);
    }
    expect(output).toMatch(/src\/wrong\.ts\(2,\d+\): error TS2345/);
    expect(output).not.toMatch(/app\.ts/);
  });
});
