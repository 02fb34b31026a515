// The rollup plugin that swaps library modules for the widget's stand-ins (widget/src/lean/, listed in
// rollup.config.mjs's LEAN table) and fails the build when a swap no longer applies.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The installed package a file belongs to (the folder under its last node_modules/), with its version. */
function packageOf(file) {
  const match = /^(.*\/node_modules\/)((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (!match) return null;
  const { name, version } = JSON.parse(readFileSync(join(match[1], match[2], 'package.json'), 'utf8'));
  return { name, version };
}

/**
 * Swaps each LEAN module (`{ pkg, specifier, file }`: what `pkg` imports as `specifier` becomes
 * `file`) in, and fails the build (not only the budget) when a swap no longer applies:
 * the replaced package is not at the version the stand-in was checked against, or nothing in the
 * widget imports what it replaces any more. That last check runs only for a build of the whole widget
 * (its input includes `whole`, the app's entry): a test that bundles a part (the transport alone)
 * meets only some of the swapped modules.
 */
export const leanModules = (LEAN, PINNED, { whole }) => {
  const applied = new Set();
  let complete = false;
  return {
    name: 'widget-lean-modules',
    buildStart(options) {
      applied.clear();
      const input = options.input;
      complete = (Array.isArray(input) ? input : Object.values(input)).some((file) => file.replace(/\\/g, '/').endsWith(whole));
    },
    async resolveId(source, importer) {
      const lean = LEAN.find((m) => m.specifier === source && importer?.includes(m.pkg));
      if (!lean) return null;
      const original = source.startsWith('.') ? join(dirname(importer), source) : (await this.resolve(source, importer, { skipSelf: true }))?.id;
      const found = original && packageOf(original);
      const expected = found && PINNED[found.name];
      if (!found || !expected) this.error(`widget/src/lean: no pinned version for what ${source} (imported by ${importer}) resolves to`);
      if (found.version !== expected)
        this.error(
          `widget/src/lean/${lean.file.split('/').pop()} stands in for ${source} of ${found.name} ${expected}, but ${found.version} is installed: ` +
            'check the stand-in and its test against the new version, then update PINNED in rollup.config.mjs and package.json',
        );
      applied.add(lean);
      return lean.file;
    },
    buildEnd(error) {
      if (error || !complete) return;
      const unused = LEAN.filter((m) => !applied.has(m));
      if (unused.length)
        this.error(`stand-ins that no longer apply (nothing imports what they replace): ${unused.map((m) => `${m.specifier} from ${m.pkg || 'the widget'}`).join(', ')}`);
    },
  };
};

