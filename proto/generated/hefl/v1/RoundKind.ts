// Original file: proto/federation.proto

export const RoundKind = {
  ROUND_KIND_UNSPECIFIED: 'ROUND_KIND_UNSPECIFIED',
  ROUND_KIND_STATISTICS: 'ROUND_KIND_STATISTICS',
  ROUND_KIND_TRAINING: 'ROUND_KIND_TRAINING',
  ROUND_KIND_EVALUATION: 'ROUND_KIND_EVALUATION',
} as const;

export type RoundKind =
  | 'ROUND_KIND_UNSPECIFIED'
  | 0
  | 'ROUND_KIND_STATISTICS'
  | 1
  | 'ROUND_KIND_TRAINING'
  | 2
  | 'ROUND_KIND_EVALUATION'
  | 3

export type RoundKind__Output = typeof RoundKind[keyof typeof RoundKind]
