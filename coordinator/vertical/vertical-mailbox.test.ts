import { describe, expect, it } from 'vitest';
import { verticalAddress } from '../../protocols/vertical/vertical-address.js';
import type { VerticalMessage } from '../../protocols/vertical/vertical-wire.js';
import { VerticalMailbox } from './vertical-mailbox.js';

const at = verticalAddress('forward-part', { epoch: 0, batch: 1, sender: 'telco' });
const elsewhere = verticalAddress('forward-part', { epoch: 0, batch: 2, sender: 'telco' });
const message = (payload: number[], signature: number[] = [9, 9]): VerticalMessage => ({ address: at, payload: new Uint8Array(payload), signature: new Uint8Array(signature) });

describe('VerticalMailbox', () => {
  it('resolves every waiter of an address when it is posted, and only those', async () => {
    const mailbox = new VerticalMailbox();
    const first = mailbox.wait(at);
    const second = mailbox.wait(at);
    let otherSettled = false;
    void mailbox.wait(elsewhere).then(() => (otherSettled = true), () => (otherSettled = true));
    expect(mailbox.put(message([1, 2, 3]))).toBe('stored');
    const [a, b] = await Promise.all([first, second]);
    expect([...a.payload]).toEqual([1, 2, 3]);
    expect(b).toBe(a);
    // A later wait is answered at once from the store.
    expect([...(await mailbox.wait(at)).payload]).toEqual([1, 2, 3]);
    await Promise.resolve();
    expect(otherSettled).toBe(false);
  });

  it('calls an identical re-post a duplicate and refuses a different one, keeping the first', () => {
    const mailbox = new VerticalMailbox();
    expect(mailbox.put(message([1, 2, 3]))).toBe('stored');
    expect(mailbox.put(message([1, 2, 3]))).toBe('duplicate');
    expect(mailbox.put(message([1, 2, 4]))).toEqual({ refused: expect.stringMatching(/a different message is already stored at forward-part\/0\/1\/\/0\/telco\//) });
    // Same payload, other signature: also a different message.
    expect(mailbox.put(message([1, 2, 3], [8, 8]))).toEqual({ refused: expect.stringMatching(/a different message/) });
    expect([...(mailbox.get(at)?.payload ?? [])]).toEqual([1, 2, 3]);
  });

  it('close() rejects every pending wait and every later one', async () => {
    const mailbox = new VerticalMailbox();
    const pending = [mailbox.wait(at), mailbox.wait(elsewhere)];
    mailbox.close(new Error('the job failed: test'));
    for (const wait of pending) await expect(wait).rejects.toThrow('the job failed: test');
    await expect(mailbox.wait(at)).rejects.toThrow('the job failed: test');
  });

  it('an abort signal cancels its own wait only; the others still get the message', async () => {
    const mailbox = new VerticalMailbox();
    const controller = new AbortController();
    const cancelled = mailbox.wait(at, controller.signal);
    const kept = mailbox.wait(at);
    controller.abort();
    await expect(cancelled).rejects.toThrow('the fetch was cancelled');
    mailbox.put(message([7]));
    expect([...(await kept).payload]).toEqual([7]);
  });

  it('a wait whose signal is already aborted is refused at once', async () => {
    const mailbox = new VerticalMailbox();
    await expect(mailbox.wait(at, AbortSignal.abort())).rejects.toThrow('the fetch was cancelled');
  });

  it('a cancelled wait is not rejected again when the mailbox closes, and a settled one not at all', async () => {
    const mailbox = new VerticalMailbox();
    const controller = new AbortController();
    const cancelled = mailbox.wait(at, controller.signal);
    controller.abort();
    await expect(cancelled).rejects.toThrow('the fetch was cancelled');
    const settled = mailbox.wait(elsewhere);
    mailbox.put({ ...message([5]), address: elsewhere });
    await expect(settled).resolves.toMatchObject({ address: elsewhere });
    mailbox.close(new Error('finished'));
    await expect(mailbox.wait(at)).rejects.toThrow('finished');
  });

  it('prune forgets the messages it is told to drop', () => {
    const mailbox = new VerticalMailbox();
    mailbox.put(message([1]));
    mailbox.put({ ...message([2]), address: elsewhere });
    mailbox.prune((address) => address.batch !== 1);
    expect(mailbox.has(at)).toBe(false);
    expect(mailbox.has(elsewhere)).toBe(true);
  });
});
