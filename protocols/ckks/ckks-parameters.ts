import { z } from 'zod';

// Strict: a misspelt field is an error naming it, not a silent default (as everywhere in the job file).

/** The job file's `ckks` section: SEAL encryption parameters for the CKKS scheme. */
export const ckksParametersSchema = z
  .strictObject({
    polyModulusDegree: z.union([z.literal(4096), z.literal(8192), z.literal(16384), z.literal(32768)]).default(8192),
    coeffModulusBits: z.array(z.number().int().min(20).max(60)).min(1).max(16).default([60, 40, 40, 60]),
    // Scales above 60 bits are for threshold decryption, whose smudging noise needs the headroom.
    scaleBits: z.number().int().min(20).max(120).default(40),
  })
  .superRefine((parameters, ctx) => {
    const dataPrimes = parameters.coeffModulusBits.length > 1 ? parameters.coeffModulusBits.slice(0, -1) : parameters.coeffModulusBits;
    const dataBits = dataPrimes.reduce((sum, bits) => sum + bits, 0);
    // Weighted updates need headroom above the scale: value * 2^scale must stay below the data modulus.
    if (dataBits < parameters.scaleBits + 20) {
      ctx.addIssue({
        code: 'custom',
        path: ['coeffModulusBits'],
        message: `the data primes (all but the last, when there are several) total ${dataBits} bits; they need at least scaleBits + 20 = ${parameters.scaleBits + 20}`,
      });
    }
  });

export type CkksParameters = z.infer<typeof ckksParametersSchema>;

/** CKKS defaults per custody mode; both pass SEAL's 128-bit check. */
/**
 * Single key: add-only aggregation never rescales, so the smallest chain that holds the values will do:
 * two 40-bit data primes over a 2^40 scale decode chunks whose values' magnitudes sum to ~2^50 (the
 * round-0 statistics travel as limbs of at most 2^19 per node, protocols/data/statistics-limbs.ts), with a 60-bit special prime; 140 bits in all. With the
 * secret key the participants encrypt symmetrically (c1 as a seed): ~12 bytes per parameter.
 */
export const SINGLE_KEY_DEFAULT_CKKS = { polyModulusDegree: 8192, coeffModulusBits: [40, 40, 60], scaleBits: 40 } as const;
/**
 * Threshold decryption floods each partial decryption with ~2^40 noise, so the scale must sit far
 * above it: 2^72 keeps ~3e-8 precision; two 55-bit data primes hold chunks whose values sum to ~2^48
 * in magnitude, and the 60-bit prime is SEAL's special prime (see threshold-parameters.ts).
 */
export const THRESHOLD_DEFAULT_CKKS = { polyModulusDegree: 8192, coeffModulusBits: [55, 55, 60], scaleBits: 72 } as const;
