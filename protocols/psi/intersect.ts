/**
 * The coordinator's step: intersect the fully blinded lists (each blinded by every party's scalar,
 * so equal ids give equal elements) and tell each owner, per position of its list, the common rank
 * (index in the intersection sorted by blinded value, a pseudonymous order) or −1. The coordinator sees
 * only pseudorandom group elements: it learns the sizes of the lists and of every sub-intersection.
 */
import { elementKey, validateBlindedList } from './element-checks.js';
import { PsiError } from './psi-error.js';

export function intersectBlindedLists(lists: ReadonlyMap<string, Uint8Array>, maxCount = Number.MAX_SAFE_INTEGER): Map<string, Int32Array> {
  if (lists.size < 2) throw new PsiError(`intersection needs at least 2 lists, got ${lists.size}`);
  // How many lists hold each element (duplicates inside a list are refused by validation).
  const counts = new Map<string, number>();
  for (const [owner, list] of lists) {
    const count = validateBlindedList(list, maxCount, `fully blinded list of ${owner}`);
    for (let index = 0; index < count; index += 1) {
      const key = elementKey(list, index);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const common: string[] = [];
  for (const [key, count] of counts) if (count === lists.size) common.push(key);
  // latin1 keys sort by byte value, so the order is that of the elements' bytes.
  common.sort();
  const rankOf = new Map<string, number>(common.map((key, rank) => [key, rank]));
  const result = new Map<string, Int32Array>();
  for (const [owner, list] of lists) {
    const ranks = new Int32Array(list.length / 32).fill(-1);
    for (let index = 0; index < ranks.length; index += 1) ranks[index] = rankOf.get(elementKey(list, index)) ?? -1;
    result.set(owner, ranks);
  }
  return result;
}
