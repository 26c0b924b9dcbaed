#!/usr/bin/env node
// Entry point of the `hefl` command: checks the Node version, then runs the TypeScript CLI via tsx.
await import('./check-node-version.js');
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/hefl.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: gRPC channels and the wasm runtime may otherwise keep the process alive.
process.exitCode = code;
setImmediate(() => process.exit(code));
