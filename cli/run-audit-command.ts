import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { KeyObject } from 'node:crypto';
import { loadIdentityPublicKey } from '../protocols/identity/participant-identity.js';
import { keyFolderManifestSchema } from '../protocols/keys/key-folder-manifest.js';
import { parseConfigText } from '../protocols/job/read-config-file.js';
import { verifyLedger, type LedgerVerification } from '../protocols/ledger/verify-ledger.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const AUDIT_HELP = `Usage: hefl audit verify --roster KEYS_JSON [--report REPORT.md] LEDGER...

Checks participants' egress ledgers (OUTPUT_DIR/egress.jsonl of each node): every record's place in
the hash chain, its hash and its signature by the node's identity key (the public keys come from the
identities roster in any key folder's keys.json, e.g. the coordinator's). Prints a verdict per node
and, with --report, writes a Markdown report to file. Exit code 0 only when every ledger verifies.

Example:
  hefl audit verify --roster keys/coordinator/keys.json --report audit.md outputs/*/egress.jsonl`;

interface NodeVerdict {
  readonly ledger: string;
  readonly verification: LedgerVerification;
}

function describe(verdict: NodeVerdict): string[] {
  const { verification } = verdict;
  const byType = new Map<string, { messages: number; bytes: number }>();
  for (const record of verification.records) {
    const totals = byType.get(record.messageType) ?? { messages: 0, bytes: 0 };
    totals.messages += 1;
    totals.bytes += record.size;
    byType.set(record.messageType, totals);
  }
  const node = verification.nodeId ?? '(unknown node)';
  const head = verification.valid
    ? `${node}: VERIFIED - ${verification.records.length} records, hash chain and signatures intact (${verdict.ledger})`
    : `${node}: FAILED - ${verification.problem}`;
  return [head, ...[...byType].map(([type, totals]) => `    ${type}: ${totals.messages} messages, ${totals.bytes} bytes`)];
}

export async function runAuditCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    console.log(AUDIT_HELP);
    return action === undefined ? EXIT.usage : EXIT.ok;
  }
  if (action !== 'verify') throw new UsageError(`unknown audit action "${action}"`, AUDIT_HELP);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { roster: { type: 'string' }, report: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(AUDIT_HELP);
    return EXIT.ok;
  }
  if (!values.roster || positionals.length === 0) throw new UsageError('--roster and at least one ledger are required', AUDIT_HELP);
  const manifest = parseConfigText(await readFile(values.roster, 'utf8'), values.roster, keyFolderManifestSchema);
  const keys = new Map<string, KeyObject>(Object.entries(manifest.identities ?? {}).map(([id, pem]) => [id, loadIdentityPublicKey(pem)]));
  const verdicts: NodeVerdict[] = [];
  for (const ledger of positionals) {
    const text = await readFile(ledger, 'utf8').catch(() => undefined);
    const verification: LedgerVerification =
      text === undefined ? { valid: false, nodeId: undefined, records: [], problem: `${ledger}: cannot be read` } : verifyLedger(text, ledger, (id) => keys.get(id));
    verdicts.push({ ledger, verification });
  }
  const missing = [...keys.keys()].filter((id) => !verdicts.some((verdict) => verdict.verification.nodeId === id));
  const lines = verdicts.flatMap(describe);
  if (missing.length > 0) lines.push(`no ledger given for: ${missing.join(', ')}`);
  const allValid = verdicts.every((verdict) => verdict.verification.valid);
  lines.push(allValid ? 'verdict: every ledger verifies' : 'verdict: FAILED - at least one ledger does not verify');
  console.log(lines.join('\n'));
  if (values.report) {
    const report = [
      `# HEFL audit report: job ${manifest.jobId}`,
      '',
      `Generated ${new Date().toISOString()} with \`hefl audit verify\`; identities from \`${values.roster}\` (key fingerprint \`${manifest.keyFingerprint}\`).`,
      '',
      '```',
      ...lines,
      '```',
      '',
    ].join('\n');
    await writeFile(values.report, report);
  }
  return allValid ? EXIT.ok : EXIT.jobFailed;
}
