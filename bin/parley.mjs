#!/usr/bin/env node
// `parley <command>`: start the server, or an operator's command on its store (server/src/cli.ts).
// `parley start` is `npm start`: it builds what is missing, then runs the server with signals passed on.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [command] = process.argv.slice(2);
if (command === 'start') {
  await import('../scripts/start.mjs');
} else {
  const cli = fileURLToPath(new URL('../dist/server/cli.js', import.meta.url));
  if (!existsSync(cli)) {
    process.stderr.write('parley: the server is not built yet: run `npm run build` (or `parley start`, which builds it)\n');
    process.exit(1);
  }
  const { run } = await import(cli);
  process.exitCode = await run(process.argv.slice(2));
}
