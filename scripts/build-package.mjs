// Builds the installable package into dist/: compiled JavaScript and declarations of the product
// (tsconfig.build.json: no tests, no bench), plus the files the code loads at run time beside itself
// (the gRPC contract, the ONNX schema subset and the dashboard's assets). Run by `npm run build` and by `npm pack` (prepack).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const compiled = spawnSync(tsc, ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  process.stderr.write('build-package: tsc failed\n');
  process.exit(compiled.status ?? 1);
}
const assets = [
  ['proto/federation.proto', 'proto/federation.proto'],
  // Loaded by proto/onnx-model.ts when a participant writes model.onnx.
  ['proto/onnx-subset.proto', 'proto/onnx-subset.proto'],
  ['coordinator/dashboard/assets', 'coordinator/dashboard/assets'],
];
for (const [from, to] of assets) {
  if (!existsSync(join(root, from))) throw new Error(`build-package: ${from} is missing`);
  cpSync(join(root, from), join(dist, to), { recursive: true });
}
process.stdout.write(`build-package: dist/ written\n`);
