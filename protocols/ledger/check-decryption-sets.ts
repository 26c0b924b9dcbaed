import type { LedgerRecord } from './ledger-record.js';

export interface DecryptionSetCheck {
  /** One line for the audit report, then a line per finding. */
  readonly lines: readonly string[];
  readonly consistent: boolean;
}

/**
 * Offline check of the rule every participant enforces before a partial decryption: one decryption
 * set per c1. Each released share's ledger records name the c1 it decrypts (every chunk) and the
 * contributor set it was released for (chunk 0 of its stream); two sets for one c1, by one node or
 * by several, would let whoever combines the shares isolate an update or recover a key share.
 */
export function checkDecryptionSets(ledgers: readonly { readonly nodeId: string | undefined; readonly records: readonly LedgerRecord[] }[]): DecryptionSetCheck {
  const setsByC1 = new Map<string, Map<string, Set<string>>>();
  const releasesByNodeAndC1 = new Map<string, number>();
  // t-of-N custody: the committee each share was released for (chunk 0 names it); 'n-of-n' when none.
  const committeesByC1 = new Map<string, Set<string>>();
  let shares = 0;
  for (const { nodeId, records } of ledgers) {
    if (!nodeId || nodeId === 'coordinator') continue;
    let set: string | undefined;
    let committee = 'n-of-n';
    for (const record of records) {
      if (record.direction !== 'egress' || record.messageType !== 'SubmitDecryptionShare' || record.classification !== 'ciphertext') continue;
      const fields = record.metadataFields ?? {};
      if (typeof fields.contributorsSha256 === 'string') {
        set = fields.contributorsSha256;
        committee = typeof fields.committeeSha256 === 'string' ? fields.committeeSha256 : 'n-of-n';
      }
      const c1 = fields.c1Sha256;
      if (typeof c1 !== 'string' || set === undefined) continue;
      shares += 1;
      const byNode = setsByC1.get(c1) ?? new Map<string, Set<string>>();
      setsByC1.set(c1, byNode);
      byNode.set(set, (byNode.get(set) ?? new Set()).add(nodeId));
      committeesByC1.set(c1, (committeesByC1.get(c1) ?? new Set()).add(committee));
      releasesByNodeAndC1.set(`${nodeId}\0${c1}`, (releasesByNodeAndC1.get(`${nodeId}\0${c1}`) ?? 0) + 1);
    }
  }
  const findings: string[] = [];
  for (const [c1, bySet] of setsByC1) {
    if (bySet.size > 1) {
      const who = [...bySet.values()].map((nodes) => [...nodes].sort().join('+')).join(' / ');
      findings.push(`    c1 ${c1.slice(0, 16)}… was partially decrypted for ${bySet.size} different contributor sets (${who})`);
    }
  }
  for (const [c1, committees] of committeesByC1) {
    if (committees.size > 1) findings.push(`    c1 ${c1.slice(0, 16)}… was partially decrypted for ${committees.size} different committees (t-of-N: one committee per c1)`);
  }
  const committeeCount = [...committeesByC1.values()].filter((committees) => !committees.has('n-of-n')).length;
  const repeats = [...releasesByNodeAndC1].filter(([, count]) => count > 1);
  const notes = repeats.map(([key, count]) => {
    const [node, c1] = key.split('\0') as [string, string];
    return `    note: ${node} released ${count} partial decryptions of c1 ${c1.slice(0, 16)}… (one contributor set; a retried round)`;
  });
  const head =
    findings.length > 0
      ? `decryption sets: FAILED - ${findings.length} c1 decrypted for more than one contributor set or committee`
      : `decryption sets: ${shares} released partial decryptions of ${setsByC1.size} ciphertexts (by c1), one contributor set each` +
        (committeeCount > 0 ? `; ${committeeCount} decrypted by a t-of-N committee, one committee each` : '');
  return { lines: [head, ...findings, ...notes], consistent: findings.length === 0 };
}
