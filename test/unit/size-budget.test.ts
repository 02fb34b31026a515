import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../scripts/size.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function size(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const report = (run: Run) => JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
  gzipLevel: number;
  files: { file: string; kind: string; raw: number; gzip: number; brotli: number }[];
  loader: { brotli: number; gzip: number; budget: number };
  chatOpen: { brotli: number; gzip: number; budget: number };
  badge: { brotli: number; gzip: number; budget: number };
  consoleInbox?: { files: { file: string }[]; brotli: number; budget: number };
  ok: boolean;
};

describe('the widget size check (scripts/size.mjs)', () => {
  let dir: string;

  // random bytes do not compress: a 1,500-byte loader weighs a little over 1,500 gzipped
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-size-'));
    mkdirSync(join(dir, 'widget'));
    writeFileSync(join(dir, 'widget.js'), randomBytes(1500));
    writeFileSync(join(dir, 'widget/app-Ab12Cd34.js'), randomBytes(6000));
    writeFileSync(join(dir, 'widget/chunk-a1b2.js'), randomBytes(3000));
    writeFileSync(join(dir, 'widget/badge-Xy_9-Zw3.js'), randomBytes(400));
    writeFileSync(join(dir, 'widget/theme.css'), randomBytes(1000));
    writeFileSync(join(dir, 'widget/app-Ab12Cd34.js.map'), randomBytes(50_000));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes within budget and reports every chunk, the stylesheet, and the totals', async () => {
    const run = await size(['--dir', dir]);
    expect(run.code).toBe(0);
    const r = report(run);
    expect(r.ok).toBe(true);
    expect(r.gzipLevel).toBe(9);
    const all = r.files.filter((f) => !f.kind.includes('inlined'));
    expect(all.map((f) => [f.file, f.kind])).toEqual([
      ['widget.js', 'loader'],
      ['widget/app-Ab12Cd34.js', 'app'],
      ['widget/badge-Xy_9-Zw3.js', 'badge'],
      ['widget/chunk-a1b2.js', 'app'],
      ['widget/theme.css', 'style'],
    ]);
    // the unread badge loads only for a returning visitor with unread messages: weighed on its own
    const built = all.filter((f) => f.kind !== 'badge');
    expect(r.badge.brotli).toBeGreaterThan(400);
    expect(r.badge.budget).toBe(1000);
    expect(built[0]).toMatchObject({ raw: 1500 });
    expect(r.loader.brotli).toBeGreaterThan(1500);
    expect(r.loader.gzip).toBeGreaterThan(1500);
    expect(r.chatOpen.brotli).toBe(built.reduce((sum, f) => sum + f.brotli, 0));
    expect(r.chatOpen.gzip).toBe(built.reduce((sum, f) => sum + f.gzip, 0));
    expect(r.chatOpen.brotli).toBeGreaterThan(11_500);
    expect(run.stdout).toContain('widget/chunk-a1b2.js');
  });

  it("weighs the console's inbox: its entry and the chunks it imports statically, not the screens it imports on demand", async () => {
    const consoleDir = mkdtempSync(join(tmpdir(), 'parley-size-console-'));
    try {
      mkdirSync(join(consoleDir, 'widget'));
      mkdirSync(join(consoleDir, 'console'));
      writeFileSync(join(consoleDir, 'widget.js'), randomBytes(1500));
      writeFileSync(join(consoleDir, 'widget/app-Ab12Cd34.js'), randomBytes(6000));
      writeFileSync(join(consoleDir, 'widget/badge-Xy_9-Zw3.js'), randomBytes(400));
      writeFileSync(join(consoleDir, 'manifest.json'), JSON.stringify({ 'console/app.js': 'console/app-Qq11Ww22.js' }));
      const entry = (extra: number) =>
        Buffer.concat([Buffer.from('import{a as b}from"./shared-Ee33Rr44.js";const s=()=>import("./settings-Tt55Yy66.js");'), randomBytes(extra)]);
      writeFileSync(join(consoleDir, 'console/app-Qq11Ww22.js'), entry(20_000));
      writeFileSync(join(consoleDir, 'console/shared-Ee33Rr44.js'), Buffer.concat([Buffer.from('import"./app-Qq11Ww22.js";'), randomBytes(10_000)]));
      writeFileSync(join(consoleDir, 'console/settings-Tt55Yy66.js'), randomBytes(30_000));
      const run = await size(['--dir', consoleDir]);
      expect(run.code).toBe(0);
      const inbox = report(run).consoleInbox!;
      expect(inbox.files.map((f) => f.file).sort()).toEqual(['console/app-Qq11Ww22.js', 'console/shared-Ee33Rr44.js']);
      expect(inbox.brotli).toBeGreaterThan(30_000);
      expect(inbox.budget).toBe(45_000);
      // past 45,000 bytes as served, the check fails
      writeFileSync(join(consoleDir, 'console/app-Qq11Ww22.js'), entry(36_000));
      const over = await size(['--dir', consoleDir]);
      expect(over.code).toBe(1);
      expect(over.stderr).toMatch(/console inbox JavaScript \d+ B as served > 45000 B/);
    } finally {
      rmSync(consoleDir, { recursive: true, force: true });
    }
  });

  it('fails when the loader is over its budget', async () => {
    const run = await size(['--dir', dir, '--loader-budget', '1400']);
    expect(run.code).toBe(1);
    expect(report(run).ok).toBe(false);
    expect(run.stderr).toMatch(/loader \d+ B as served > 1400 B/);
  });

  it('fails when everything loaded for an open chat is over its budget, the budget taken from the environment', async () => {
    const run = await size(['--dir', dir], { SIZE_TOTAL_BUDGET: '11000' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/chat open \d+ B as served > 11000 B/);
    expect(run.stderr).not.toMatch(/loader/);
  });

  it('counts a new chunk against the total: one byte over fails', async () => {
    const ok = report(await size(['--dir', dir]));
    const exact = await size(['--dir', dir, '--total-budget', String(ok.chatOpen.brotli)]);
    expect(exact.code).toBe(0);
    const under = await size(['--dir', dir, '--total-budget', String(ok.chatOpen.brotli - 1)]);
    expect(under.code).toBe(1);
  });

  it.each([
    [['--dir', '/nonexistent/parley'], /no widget build/],
    [['--loader-budget', 'abc'], /positive whole number/],
    [['--total-budget=-5'], /positive whole number/],
    [['--total-budget', '2.5'], /positive whole number/],
    [['--nonsense'], /Unknown option/],
  ])('refuses to judge with %j', async (args, message) => {
    const run = await size(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
