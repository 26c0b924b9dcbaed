import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import type { CkksParameters } from '../protocols/job/job-spec.js';
import { classifyEgress } from '../protocols/ledger/classify-egress.js';
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
identities roster in any key folder's keys.json, e.g. the coordinator's). Where the node kept its
payloads (keepPayloads: OUTPUT_DIR/payloads beside the ledger), each payload is re-classified from its
bytes under the federation's CKKS parameters and must be what its record claims. Prints a verdict per node
and, with --report, writes a Markdown report to file. Exit code 0 only when every ledger verifies.

Example:
  hefl audit verify --roster keys/coordinator/keys.json --report audit.md outputs/*/egress.jsonl`;

interface NodeVerdict {
  readonly ledger: string;
  readonly verification: LedgerVerification;
  /** Records whose kept payload is not what the record claims (or is missing or altered). */
  readonly reclassified: readonly string[];
  readonly payloadsChecked: number;
}

/**
 * With payloads kept beside a ledger (--keep-payloads on the node), judge each payload again from its
 * bytes and compare with what the record claims: a participant that bypassed its egress guard, or
 * lied in its ledger, is caught here.
 */
async function reclassify(ledger: string, verification: LedgerVerification, parameters: CkksParameters): Promise<{ problems: string[]; checked: number }> {
  const directory = join(dirname(ledger), 'payloads');
  const available = await stat(directory).then((info) => info.isDirectory()).catch(() => false);
  if (!available) return { problems: [], checked: 0 };
  const session = await CkksSession.create(parameters);
  const problems: string[] = [];
  let checked = 0;
  try {
    for (const record of verification.records) {
      const bytes = await readFile(join(directory, `${record.sha256}.bin`)).catch(() => undefined);
      if (!bytes) {
        problems.push(`record #${record.sequence}: payload not kept`);
        continue;
      }
      checked += 1;
      if (createHash('sha256').update(bytes).digest('hex') !== record.sha256) {
        problems.push(`record #${record.sequence}: the kept payload does not match the record's SHA-256`);
        continue;
      }
      const verdict = classifyEgress(record.messageType, new Uint8Array(bytes), {
        parameters,
        isCiphertext: (payload) => {
          try {
            session.release(session.loadCiphertext(payload, 'kept payload'));
            return true;
          } catch {
            return false;
          }
        },
      });
      const actual = 'refused' in verdict ? 'refused' : verdict.classification;
      if (actual !== record.classification) {
        const why = 'refused' in verdict ? `: ${verdict.refused}` : '';
        problems.push(`record #${record.sequence} (${record.messageType}) claims "${record.classification}" but its payload is "${actual}"${why}`);
      }
    }
  } finally {
    session.dispose();
  }
  return { problems, checked };
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
  const refused = verification.records.filter((record) => record.classification === 'refused').length;
  const head = !verification.valid
    ? `${node}: FAILED - ${verification.problem}`
    : verdict.reclassified.length > 0
      ? `${node}: FAILED - ${verdict.reclassified.length} records are not what they claim (${verdict.ledger})`
      : `${node}: VERIFIED - ${verification.records.length} records, hash chain and signatures intact` +
        `${verdict.payloadsChecked > 0 ? `, ${verdict.payloadsChecked} kept payloads re-classified` : ''} (${verdict.ledger})`;
  return [
    head,
    ...verdict.reclassified.map((problem) => `    ${problem}`),
    ...(refused > 0 ? [`    ${refused} messages refused by the node's egress guard (never sent)`] : []),
    ...[...byType].map(([type, totals]) => `    ${type}: ${totals.messages} messages, ${totals.bytes} bytes`),
  ];
}

/**
 * With the coordinator's ingress ledger among the ledgers: every message a participant recorded as
 * sent must have arrived (same SHA-256, size, type, sender), and every message the coordinator
 * recorded from that participant must be in the participant's ledger.
 */
function matchEgressWithIngress(verifications: readonly LedgerVerification[]): { lines: string[]; consistent: boolean } {
  const ingress = verifications.find((verification) => verification.nodeId === 'coordinator' && verification.valid);
  if (!ingress) return { lines: [], consistent: true };
  const lines: string[] = [];
  let consistent = true;
  const key = (record: { sha256: string; size: number; messageType: string }, peer: string): string => `${peer}|${record.messageType}|${record.size}|${record.sha256}`;
  for (const egress of verifications) {
    if (!egress.valid || !egress.nodeId || egress.nodeId === 'coordinator') continue;
    const participant = egress.nodeId;
    const arrived = new Map<string, number>();
    for (const record of ingress.records) if (record.peer === participant) arrived.set(key(record, participant), (arrived.get(key(record, participant)) ?? 0) + 1);
    const sent = egress.records.filter((record) => record.classification !== 'refused');
    let matched = 0;
    const unmatched: string[] = [];
    for (const record of sent) {
      const count = arrived.get(key(record, participant)) ?? 0;
      if (count > 0) {
        arrived.set(key(record, participant), count - 1);
        matched += 1;
      } else unmatched.push(`#${record.sequence} ${record.messageType}`);
    }
    const unexplained = [...arrived.values()].reduce((total, count) => total + count, 0);
    lines.push(`${participant} -> coordinator: ${matched} of ${sent.length} sent messages found in the ingress ledger`);
    if (unmatched.length > 0) lines.push(`    not received (or not recorded): ${unmatched.slice(0, 10).join(', ')}${unmatched.length > 10 ? ', ...' : ''}`);
    if (unexplained > 0) lines.push(`    ${unexplained} messages arrived as "${participant}" that its ledger does not record`);
    if (unmatched.length > 0 || unexplained > 0) consistent = false;
  }
  return { lines, consistent };
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
    const { problems, checked } = verification.valid ? await reclassify(ledger, verification, manifest.ckks) : { problems: [], checked: 0 };
    verdicts.push({ ledger, verification, reclassified: problems, payloadsChecked: checked });
  }
  const missing = [...keys.keys()].filter((id) => !verdicts.some((verdict) => verdict.verification.nodeId === id));
  const lines = verdicts.flatMap(describe);
  if (missing.length > 0) lines.push(`no ledger given for: ${missing.join(', ')}`);
  const matching = matchEgressWithIngress(verdicts.map((verdict) => verdict.verification));
  lines.push(...matching.lines);
  const allValid = verdicts.every((verdict) => verdict.verification.valid && verdict.reclassified.length === 0) && matching.consistent;
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
