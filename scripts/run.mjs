// `npm start`, `npm run csi`, `npm run insights`, `npm run demo`, `npm run loyalty`, `npm run backup`, `npm run restore`: runs a compiled entry point of dist/server
// in this same Node process, after building what changed (scripts/build.mjs; nothing to do is the usual case).
//
//   node scripts/run.mjs start | csi | insights | demo | loyalty | backup | restore  [arguments of the command …]
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, projectRoot } from './build.mjs';

const commands = {
  // The server serves the web app and renders the public form, so it needs every output.
  start: { entry: 'dist/server/main.js', outputs: undefined },
  csi: { entry: 'dist/server/cli/csi.js', outputs: ['server'] },
  insights: { entry: 'dist/server/cli/insights.js', outputs: ['server'] },
  demo: { entry: 'dist/server/cli/demo.js', outputs: ['server'] },
  loyalty: { entry: 'dist/server/cli/loyalty.js', outputs: ['server'] },
  backup: { entry: 'dist/server/cli/backup.js', outputs: ['server'] },
  restore: { entry: 'dist/server/cli/restore.js', outputs: ['server'] },
};

const [name, ...args] = process.argv.slice(2);
const command = commands[name ?? ''];
if (!command) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(commands).join('|')} [arguments…]`);
  process.exit(1);
}
try {
  // Build messages go to stderr: a command's output (csi prints JSON) stays its own.
  await ensureBuilt({ names: command.outputs, log: (text) => console.error(text) });
} catch (error) {
  console.error(`The build failed, so ${name} cannot run: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  process.exit(1);
}
const entry = join(projectRoot, command.entry);
// The entry sees the command line it would see if Node had started it.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
