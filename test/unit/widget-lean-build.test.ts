import { join } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../server/src/paths';
// @ts-expect-error: a plain .mjs module of the build, without types
import { leanModules } from '../../scripts/lean-modules.mjs';

/**
 * The build swaps library modules for the widget's stand-ins only while the swap still applies:
 * the replaced package at the exact version the stand-in was checked against, and something that
 * still imports what it replaces. Otherwise the build fails, before any budget is weighed.
 */
const ENTRY = join(ROOT, 'widget/src/__lean_entry__.js');
const JSX = { pkg: '', specifier: 'preact/jsx-runtime', file: join(ROOT, 'widget/src/lean/jsx-runtime.ts') };
const PINNED = { preact: '10.29.8' };

async function build(lean: (typeof JSX)[], pinned: Record<string, string>, whole = 'widget/src/__lean_entry__.js'): Promise<string> {
  const bundle = await rollup({
    input: ENTRY,
    onwarn: () => {},
    external: (id) => id === 'preact',
    plugins: [
      { name: 'entry', resolveId: (id: string) => (id === ENTRY ? id : null), load: (id: string) => (id === ENTRY ? "import { jsx } from 'preact/jsx-runtime';\nexport const hello = jsx('p', { children: 'hi' });\n" : null) },
      leanModules(lean, pinned, { whole }),
      resolve({ extensions: ['.ts', '.js', '.mjs'] }),
      esbuild({ target: 'es2022' }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es' });
  return output[0].code;
}

describe('the stand-ins of widget/src/lean in the build', () => {
  it('swap in while the replaced package is at its pinned version', async () => {
    const code = await build([JSX], PINNED);
    // the stand-in builds on preact's own createElement instead of a second vnode factory
    expect(code).toContain('createElement');
    expect(code).not.toMatch(/from ['"]preact\/jsx-runtime['"]/);
  });

  it('fail the build when the installed version is not the one the stand-in was checked against', async () => {
    await expect(build([JSX], { preact: '10.19.0' })).rejects.toThrow(/stands in for preact\/jsx-runtime of preact 10\.19\.0, but 10\.29\.8 is installed/);
    await expect(build([JSX], {})).rejects.toThrow(/no pinned version/);
  });

  it('fail the build when nothing imports what a stand-in replaces any more', async () => {
    const hooks = { pkg: '', specifier: 'preact/hooks', file: join(ROOT, 'widget/src/lean/signals.ts') };
    await expect(build([JSX, hooks], PINNED)).rejects.toThrow(/no longer apply.*preact\/hooks from the widget/);
    // a build of a part of the widget (a test bundling the transport alone) swaps what it meets and no more
    await expect(build([JSX, hooks], PINNED, 'widget/src/app/index.tsx')).resolves.toContain('createElement');
  });
});
