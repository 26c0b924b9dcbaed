import { describe, expect, it } from 'vitest';
import { roundStageTimes } from './round-stage-times.js';

const line = (record: Record<string, unknown>): string => JSON.stringify({ level: 30, time: 1, name: 'x', ...record });

describe('roundStageTimes', () => {
  const coordinator = [
    line({ msg: 'round started', round: 1, kind: 'training' }),
    line({ msg: 'joint decryption times', round: 0, kind: 'statistics', sharesMs: 5, combineMs: 1 }),
    line({ msg: 'round phase times', round: 0, kind: 'statistics', collectMs: 9, aggregateMs: 1, finalizeMs: 1, publishMs: 6, evaluationMs: 0, totalMs: 17 }),
    line({ msg: 'joint decryption times', round: 1, kind: 'training', sharesMs: 400, combineMs: 90 }),
    line({ msg: 'joint decryption times', round: 1, kind: 'evaluation', sharesMs: 7, combineMs: 2 }),
    line({ msg: 'round phase times', round: 1, kind: 'training', collectMs: 3000, aggregateMs: 250, finalizeMs: 40, publishMs: 500, evaluationMs: 800, totalMs: 4350 }),
    'not json: round phase times',
  ];
  const participants = [
    [line({ msg: 'round stage times', round: 0, kind: 'statistics', localMs: 1, encryptMs: 1, uploadMs: 1 }), line({ msg: 'round stage times', round: 1, kind: 'training', localMs: 2000, encryptMs: 600, uploadMs: 300 })],
    [
      line({ msg: 'round stage times', round: 1, kind: 'evaluation', localMs: 5, encryptMs: 5, uploadMs: 5 }),
      line({ msg: 'round stage times', round: 1, kind: 'training', localMs: 1000, encryptMs: 400, uploadMs: 100 }),
      line({ msg: 'decryption share times', round: 1, kind: 'training', fetchMs: 10, verifyMs: 300, shareMs: 60, submitMs: 4 }),
      line({ msg: 'decryption share times', round: 1, kind: 'evaluation', fetchMs: 1, verifyMs: 1, shareMs: 1, submitMs: 1 }),
    ],
  ];

  it('takes the training rounds, the mean of the participants and the training aggregate\'s joint decryption', () => {
    expect(roundStageTimes(coordinator, participants)).toEqual([
      {
        round: 1,
        localTrainingMs: 1500,
        encryptionMs: 500,
        uploadMs: 200,
        collectMs: 3000,
        aggregationMs: 250,
        finalizeMs: 40,
        publishMs: 500,
        decryptionSharesMs: 400,
        shareFetchMs: 10,
        shareVerifyMs: 300,
        shareComputeMs: 60,
        shareSubmitMs: 4,
        combineMs: 90,
        evaluationMs: 800,
        totalMs: 4350,
      },
    ]);
  });

  it('without joint decryption (custody none) the decryption stages are null', () => {
    const plain = coordinator.filter((text) => !text.includes('joint decryption'));
    expect(roundStageTimes(plain, participants)[0]).toMatchObject({ decryptionSharesMs: null, combineMs: null, publishMs: 500 });
    expect(roundStageTimes(plain, participants.slice(0, 1))[0]).toMatchObject({ shareFetchMs: null, shareVerifyMs: null, shareComputeMs: null });
  });
});
