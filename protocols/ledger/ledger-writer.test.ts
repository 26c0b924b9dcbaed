import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LedgerWriter, readLastLine } from './ledger-writer.js';
import { verifyLedger } from './verify-ledger.js';

const directory = mkdtempSync(join(tmpdir(), 'hefl-ledger-writer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');

describe('readLastLine', () => {
  it('finds the last non-empty line reading back from the end, across block boundaries', () => {
    const file = join(directory, 'lines.txt');
    writeFileSync(file, '');
    expect(readLastLine(file)).toBeUndefined();
    writeFileSync(file, 'only\n');
    expect(readLastLine(file)).toBe('only');
    const long = 'x'.repeat(100_000);
    writeFileSync(file, `${'a'.repeat(70_000)}\n${long}\n\n`);
    expect(readLastLine(file)).toBe(long);
  });
});

describe('LedgerWriter', () => {
  it('continues a long chain after a restart from its last record, and the whole ledger verifies', () => {
    const path = join(directory, 'egress.jsonl');
    const first = new LedgerWriter(path, 'bank', privateKey);
    // Well over the 64 KiB tail the restart reads.
    for (let index = 0; index < 400; index += 1) first.recordBytes('egress', 'SubmitUpdate', new Uint8Array([index % 256]), 'ciphertext');
    expect(readFileSync(path).length).toBeGreaterThan(64 * 1024);
    const restarted = new LedgerWriter(path, 'bank', privateKey);
    restarted.recordBytes('egress', 'Join', new Uint8Array(3), 'metadata');
    expect(restarted.head().records).toBe(401);
    expect(restarted.summary()).toEqual({ messages: 1, bytes: 3, byType: { Join: { messages: 1, bytes: 3 } } });
    expect(first.summary()).toMatchObject({ messages: 400, bytes: 400, byType: { SubmitUpdate: { messages: 400, bytes: 400 } } });
    const verification = verifyLedger(readFileSync(path, 'utf8'), path, () => publicKey);
    expect(verification.valid).toBe(true);
    expect(verification.records).toHaveLength(401);
    expect(() => new LedgerWriter(path, 'ecommerce', privateKey)).toThrow(/is the ledger of "bank", not "ecommerce"/);
    appendFileSync(path, '\n\n');
    expect(new LedgerWriter(path, 'bank', privateKey).head().records).toBe(401);
  });

  it('keeps its memory flat however many records a job writes (heap measured after GC in a separate process)', async () => {
    const path = join(directory, 'long.jsonl');
    const script = `
      const { generateKeyPairSync } = await import('node:crypto');
      const { LedgerWriter } = await import(${JSON.stringify(new URL('./ledger-writer.ts', import.meta.url).href)});
      const writer = new LedgerWriter(${JSON.stringify(path)}, 'bank', generateKeyPairSync('ed25519').privateKey);
      const write = (count) => { for (let i = 0; i < count; i += 1) writer.recordBytes('egress', 'SubmitUpdate', new Uint8Array(64), 'ciphertext', undefined, 'coordinator'); };
      const heap = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed; };
      write(500);
      const before = heap();
      write(2500);
      const after = heap();
      console.log(JSON.stringify({ growth: after - before, records: writer.head().records }));
    `;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`))));
    });
    const { growth, records } = JSON.parse(output) as { growth: number; records: number };
    expect(records).toBe(3000);
    // Keeping each record (about 700 bytes of JSON-shaped object) grew the heap by 2.9 MB over 6,000 records (measured with the earlier writer), so ~1.2 MB over these 2,500; this one by ~0.1 MB.
    expect(growth).toBeLessThan(600_000);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3000);
  }, 120_000);
});
