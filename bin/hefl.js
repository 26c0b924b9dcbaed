#!/usr/bin/env node
// Entry point of the `hefl` command: checks the Node version, then runs the CLI — compiled JavaScript
// (dist/) in an installed package, the TypeScript sources via tsx in a source checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

await import('./check-node-version.js');
const source = new URL('../cli/hefl.ts', import.meta.url);
let cli;
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import('../dist/cli/hefl.js');
}
const code = await cli.main(process.argv.slice(2));
// Exit explicitly: gRPC channels and the wasm runtime may otherwise keep the process alive.
process.exitCode = code;
setImmediate(() => process.exit(code));
