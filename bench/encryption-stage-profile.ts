/**
 * Where one thread's CKKS encryption time goes (issue #19 item 3): CkksSession.encryptVector's steps
 * timed one by one over a 1M-parameter update (123 ciphertexts, two values per slot), in SEAL's wasm
 * from the JS side. Not part of `npm run bench`; run it alone on a quiet machine:
 *   scripts/with-node-22.sh node --import tsx bench/encryption-stage-profile.ts [threshold|reference]
 * Pair it with `node --cpu-prof` for the wasm functions inside each step.
 */
import { loadavg } from 'node:os';
import { buildSealContext } from '../protocols/ckks/build-seal-context.js';
import { imaginaryUnitPlaintext } from '../protocols/ckks/imaginary-unit.js';
import { loadSeal } from '../protocols/ckks/load-seal.js';
import { DEFAULT_THRESHOLD_CKKS } from '../protocols/ckks/threshold/index.js';
import { DEFAULT_CKKS_PARAMETERS } from './ckks-throughput.js';
import { syntheticWeightedUpdate } from './synthetic-update.js';

const parameters = process.argv[2] === 'reference' ? DEFAULT_CKKS_PARAMETERS : DEFAULT_THRESHOLD_CKKS;
const seal = await loadSeal();
const context = buildSealContext(seal, parameters);
const encoder = new seal.CKKSEncoder(context);
const evaluator = new seal.Evaluator(context);
const keys = new seal.KeyGenerator(context);
const publicKey = keys.createPublicKey();
const encryptor = new seal.Encryptor(context, publicKey);
const parmsIdHandle = context.firstParmsId();
const parmsId = new Uint8Array(new BigUint64Array(parmsIdHandle.values() as BigUint64Array).buffer);
const dataPrimeCount = parameters.coeffModulusBits.length - 1;
const imaginaryUnit = imaginaryUnitPlaintext(seal, context, evaluator, { parmsId, primeCount: dataPrimeCount }, parameters.polyModulusDegree);
const slots = encoder.slotCount();
const scale = 2 ** parameters.scaleBits;
const chunkCount = Math.ceil(1_000_000 / (2 * slots));
const values = syntheticWeightedUpdate(chunkCount * 2 * slots, 7);
const real = new seal.Plaintext();
const imaginary = new seal.Plaintext();
const ciphertext = new seal.Ciphertext();
const realSlots = new Float64Array(slots);
const imaginarySlots = new Float64Array(slots);

const totals = new Map<string, number>();
function timed<T>(stage: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  totals.set(stage, (totals.get(stage) ?? 0) + performance.now() - started);
  return result;
}

function pass(record: boolean): void {
  if (!record) totals.clear();
  for (let chunk = 0; chunk < chunkCount; chunk += 1) {
    const start = chunk * 2 * slots;
    timed('JS: copy values into the slot arrays', () => {
      realSlots.set(values.subarray(start, start + slots));
      imaginarySlots.set(values.subarray(start + slots, start + 2 * slots));
    });
    timed('encode (IFFT + NTT) × 2', () => {
      encoder.encode(realSlots, scale, real);
      encoder.encode(imaginarySlots, scale, imaginary);
    });
    timed('encrypt, public key (sampling + NTT + products)', () => encryptor.encrypt(imaginary, ciphertext));
    timed('pack: multiply by X^(N/2) + add the real part', () => {
      evaluator.multiplyPlainInplace(ciphertext, imaginaryUnit);
      evaluator.addPlainInplace(ciphertext, real);
    });
    const saved = timed('serialize (zstd)', () => ciphertext.saveToArray(seal.ComprModeType.zstd) as Uint8Array);
    timed('JS: copy out of the wasm heap, Uint8Array.from (as toBytes)', () => Uint8Array.from(saved));
    timed('JS: copy out of the wasm heap, slice() (alternative)', () => saved.slice());
    timed('serialize (no compression), for comparison', () => ciphertext.saveToArray(seal.ComprModeType.none));
  }
}

pass(false); // warm-up
const load = loadavg();
pass(true);
const measured = [...totals.entries()];
const encryptVectorStages = measured.filter(([stage]) => !stage.includes('alternative') && !stage.includes('for comparison'));
const total = encryptVectorStages.reduce((sum, [, ms]) => sum + ms, 0);
process.stdout.write(
  `primes ${parameters.coeffModulusBits.join('+')}, scale 2^${parameters.scaleBits}: ${chunkCount} ciphertexts, one thread, load average ${load.map((value) => value.toFixed(2)).join(' ')}\n`,
);
for (const [stage, ms] of measured) {
  const share = encryptVectorStages.some(([name]) => name === stage) ? `${((100 * ms) / total).toFixed(1).padStart(5)} %` : '   (not in the total)';
  process.stdout.write(`  ${stage.padEnd(64)} ${ms.toFixed(0).padStart(6)} ms ${share}\n`);
}
process.stdout.write(`  ${'total (the steps encryptVector takes)'.padEnd(64)} ${total.toFixed(0).padStart(6)} ms\n`);
