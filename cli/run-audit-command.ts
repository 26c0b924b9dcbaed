import { checkDecryptionSets } from '../protocols/ledger/check-decryption-sets.js';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { ciphertextProbe } from '../protocols/ckks/ciphertext-probe.js';
import type { CkksParameters } from '../protocols/job/job-spec.js';
import { classifyEgress } from '../protocols/ledger/classify-egress.js';
import { parseArgs } from 'node:util';
import type { KeyObject } from 'node:crypto';
import { loadIdentityPublicKey } from '../protocols/identity/participant-identity.js';
import { keyFolderManifestSchema } from '../protocols/keys/key-folder-manifest.js';
import { parseConfigText } from '../protocols/job/read-config-file.js';
import { verifyLedger, type LedgerVerification } from '../protocols/ledger/verify-ledger.js';
import { matchEgressWithIngress } from '../protocols/ledger/match-egress-ingress.js';
import { auditPrivacySpent, isPrivacySpentRecord } from '../protocols/ledger/privacy-spent.js';
import { EXIT } from './exit-codes.js';
import { checkVerticalReleases, isRefusedVerticalMessage, reclassifyVerticalRecords, VERTICAL_METHODS } from './reclassify-vertical-records.js';
import { ConfigError } from '../protocols/errors.js';
import { loadStartupKit } from '../protocols/trust/startup-kit.js';
import { UsageError } from './usage-error.js';

export const AUDIT_HELP = `Usage: hefl audit verify --kit AUDITOR_KIT [--report REPORT.md] [--max-epsilon E] LEDGER...
       hefl audit verify --roster KEYS_JSON [--report REPORT.md] [--max-epsilon E] LEDGER...

Checks participants' egress ledgers (OUTPUT_DIR/egress.jsonl of each node) and the coordinator's
ledger: every record's place in the hash chain, its hash and its signature by the node's key. The
public keys come from the auditor's startup kit (--kit: the CA-signed manifest pins each node's
ledger key when provisioned with --roster; the manifest's signature is checked against the kit's CA)
or from the identities roster in any key folder's keys.json (--roster). Where the node kept its
payloads (keepPayloads: OUTPUT_DIR/payloads beside the ledger), each payload is re-classified from its
bytes under the federation's CKKS parameters and must be what its record claims. With the coordinator's
ledger given, every message a participant sent must have arrived from it and every message accepted
from it must be in its ledger; messages the coordinator refused (a spoofed participant id among them)
are filed under the sender its certificate proved and listed per sender, never counted as arrived from
the id they claimed. Every partial decryption a participant released names the c1 it decrypts and
the contributor set it was released for: a c1 decrypted for two different sets, by one node or
several, fails the audit (one decryption set per c1). With differential privacy, each participant's
PrivacySpent records give its final ε and δ; ε that decreases, a δ that changes, or ε above the node's
recorded maxEpsilon (or above --max-epsilon, the auditor's own bound) fails the audit. Prints a verdict per node and, with --report,
writes a Markdown report to file.
Exit code 0 only when every ledger verifies.

Example:
  hefl audit verify --kit kits/auditor --report audit.md outputs/*/egress.jsonl coordinator-ingress.jsonl`;

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
    const vertical = await reclassifyVerticalRecords(verification.records, directory, parameters);
    problems.push(...vertical.problems);
    checked += vertical.checked;
    for (const record of verification.records) {
      if (VERTICAL_METHODS.includes(record.messageType) || isRefusedVerticalMessage(record) || isPrivacySpentRecord(record)) continue;
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
        // A kept unencrypted update must re-classify as "plaintext"; that it left at all is a finding below.
        allowPlaintextUpdates: true,
        isCiphertext: ciphertextProbe(session, 'kept payload'),
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
  // A coordinator's ledger holds what it received and what it sent; a participant's only what it sent.
  const bothDirections = new Set(verification.records.map((record) => record.direction)).size > 1;
  for (const record of verification.records) {
    const label = bothDirections ? `${record.direction === 'ingress' ? 'received' : 'sent'} ${record.messageType} (${record.classification})` : record.messageType;
    const totals = byType.get(label) ?? { messages: 0, bytes: 0 };
    totals.messages += 1;
    totals.bytes += record.size;
    byType.set(label, totals);
  }
  const node = verification.nodeId ?? '(unknown node)';
  const refused = verification.records.filter((record) => record.classification === 'refused' && record.nodeId !== 'coordinator').length;
  const refusedOnArrival = verification.records.filter((record) => record.direction === 'ingress' && record.refused === true).length;
  const head = !verification.valid
    ? `${node}: FAILED - ${verification.problem}`
    : verdict.reclassified.length > 0
      ? `${node}: FAILED - ${verdict.reclassified.length} findings (${verdict.ledger})`
      : `${node}: VERIFIED - ${verification.records.length} records, hash chain and signatures intact` +
        `${verdict.payloadsChecked > 0 ? `, ${verdict.payloadsChecked} kept payloads re-classified` : ''} (${verdict.ledger})`;
  return [
    head,
    ...verdict.reclassified.map((problem) => `    ${problem}`),
    ...(refused > 0 ? [`    ${refused} messages refused by the node's egress guard (never sent)`] : []),
    ...(refusedOnArrival > 0 ? [`    ${refusedOnArrival} received messages refused by the coordinator`] : []),
    ...[...byType].map(([type, totals]) => `    ${type}: ${totals.messages} messages, ${totals.bytes} bytes`),
  ];
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
    options: { roster: { type: 'string' }, kit: { type: 'string' }, report: { type: 'string' }, 'max-epsilon': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(AUDIT_HELP);
    return EXIT.ok;
  }
  if ((!values.roster && !values.kit) || positionals.length === 0) throw new UsageError('--kit (or --roster) and at least one ledger are required', AUDIT_HELP);
  if (values.roster && values.kit) throw new UsageError('give --kit or --roster, not both', AUDIT_HELP);
  const maxEpsilon = values['max-epsilon'] === undefined ? undefined : Number(values['max-epsilon']);
  if (maxEpsilon !== undefined && !(maxEpsilon > 0)) throw new UsageError('--max-epsilon must be a positive number', AUDIT_HELP);
  const trust = values.kit ? await trustFromKit(values.kit) : await trustFromRoster(values.roster as string);
  const keys = trust.keys;
  const manifest = { ckks: trust.ckks };
  const verdicts: NodeVerdict[] = [];
  for (const ledger of positionals) {
    const text = await readFile(ledger, 'utf8').catch(() => undefined);
    const verification: LedgerVerification =
      text === undefined ? { valid: false, nodeId: undefined, records: [], problem: `${ledger}: cannot be read` } : verifyLedger(text, ledger, (id) => keys.get(id));
    const { problems, checked } = verification.valid ? await reclassify(ledger, verification, manifest.ckks) : { problems: [], checked: 0 };
    // The coordinator's own outgoing records: an aggregate or relayed contribution that was not a
    // ciphertext under the federation's parameters is a finding, even though the coordinator sent it.
    const sentProblems = verification.records
      .filter((record) => record.direction === 'egress' && record.nodeId === 'coordinator' && record.classification === 'refused')
      .map((record) => `record #${record.sequence} (${record.messageType}): the coordinator sent ${record.refusalReason ?? 'a message that is not what it should be'}`);
    // Custody none (HE off): every unencrypted update is a finding, whoever recorded it.
    const plaintextProblems = verification.records
      .filter((record) => record.classification === 'plaintext')
      .map((record) =>
        record.direction === 'egress'
          ? `record #${record.sequence} (${record.messageType}): an UNENCRYPTED update left ${record.nodeId} (custody none)`
          : `record #${record.sequence} (${record.messageType}): the coordinator received an UNENCRYPTED update from ${record.peer ?? 'a participant'} (custody none)`,
      );
    verdicts.push({ ledger, verification, reclassified: [...problems, ...sentProblems, ...plaintextProblems], payloadsChecked: checked });
  }
  const missing = [...keys.keys()].filter((id) => !verdicts.some((verdict) => verdict.verification.nodeId === id));
  const lines = verdicts.flatMap(describe);
  if (missing.length > 0) lines.push(`no ledger given for: ${missing.join(', ')}`);
  const matching = matchEgressWithIngress(verdicts.map((verdict) => verdict.verification));
  lines.push(...matching.lines);
  const decryptionSets = checkDecryptionSets(verdicts.map((verdict) => verdict.verification));
  lines.push(...decryptionSets.lines);
  const releases = checkVerticalReleases(verdicts.map((verdict) => verdict.verification));
  lines.push(...releases.lines);
  const privacy = auditPrivacySpent(verdicts.map((verdict) => verdict.verification), maxEpsilon === undefined ? {} : { maxEpsilon });
  lines.push(...privacy.lines);
  lines.push(...trust.notes(verdicts.map((verdict) => verdict.verification.nodeId).filter((id): id is string => id !== undefined)));
  const allValid = verdicts.every((verdict) => verdict.verification.valid && verdict.reclassified.length === 0) && matching.consistent && decryptionSets.consistent && releases.consistent && privacy.consistent;
  lines.push(allValid ? 'verdict: every ledger verifies' : 'verdict: FAILED - at least one ledger does not verify');
  console.log(lines.join('\n'));
  if (values.report) {
    const report = [
      `# HEFL audit report: ${trust.title}`,
      '',
      `Generated ${new Date().toISOString()} with \`hefl audit verify\`; ${trust.source}.`,
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

interface AuditTrust {
  readonly keys: Map<string, KeyObject>;
  readonly ckks: CkksParameters;
  readonly title: string;
  readonly source: string;
  /** Extra lines about the nodes whose ledgers were given (revocations, say). */
  notes(nodeIds: readonly string[]): string[];
}

async function trustFromRoster(path: string): Promise<AuditTrust> {
  const roster = parseConfigText(await readFile(path, 'utf8'), path, keyFolderManifestSchema);
  return {
    keys: new Map(Object.entries(roster.identities ?? {}).map(([id, pem]) => [id, loadIdentityPublicKey(pem)])),
    ckks: roster.ckks,
    title: `job ${roster.jobId}`,
    source: `identities from \`${path}\` (key fingerprint \`${roster.keyFingerprint}\`)`,
    notes: () => [],
  };
}

/** The auditor's kit: the CA-signed manifest (checked against the kit's CA) pins the ledger keys and parameters. */
async function trustFromKit(folder: string): Promise<AuditTrust> {
  const kit = await loadStartupKit(folder);
  const { manifest } = kit;
  if (!manifest.ledgerKeys || Object.keys(manifest.ledgerKeys).length === 0) {
    throw new ConfigError(`the manifest in ${folder} pins no ledger keys: provision with \`hefl provision --roster keys/coordinator/keys.json\`, or audit with --roster`);
  }
  if (!manifest.ckks) {
    throw new ConfigError(`the manifest in ${folder} pins only the CKKS parameters' hash: provision with \`hefl provision --job JOB\`, or audit with --roster`);
  }
  const serials = new Map(manifest.nodes.map((node) => [node.id, node.serialNumber]));
  return {
    keys: new Map(Object.entries(manifest.ledgerKeys).map(([id, pem]) => [id, loadIdentityPublicKey(pem)])),
    ckks: manifest.ckks,
    title: `federation ${manifest.federationId}`,
    source: `ledger keys from the CA-signed manifest in \`${folder}\` (${kit.role} "${kit.nodeId}", manifest issued ${manifest.issuedAt}, CKKS parameters \`${manifest.ckksParametersFingerprint}\`)`,
    notes: (nodeIds) =>
      nodeIds.flatMap((id) => {
        const revocation = manifest.revoked.find((entry) => entry.serialNumber === serials.get(id));
        return revocation ? [`note: ${id}'s certificate was revoked on ${revocation.revokedAt} (${revocation.reason}); its records after that time came from a revoked node`] : [];
      }),
  };
}
