/**
 * Errors named for what went wrong in the federation. Every HEFL error carries a stable `code`
 * so CLIs can map it to an exit status and tests can assert on it without matching prose.
 */
export type HeflErrorCode =
  | 'CONFIG_INVALID'
  | 'DATASET_INVALID'
  | 'CIPHERTEXT_INVALID'
  | 'KEY_CUSTODY_VIOLATION'
  | 'WIRE_MESSAGE_INVALID'
  | 'ROUND_FAILED'
  | 'COORDINATOR_UNREACHABLE'
  | 'PROTOCOL_VIOLATION';

export class HeflError extends Error {
  readonly code: HeflErrorCode;
  constructor(code: HeflErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A config or job file that does not match its schema; `where` is the file and field path. */
export class ConfigError extends HeflError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

/** A CSV that does not fit the job's feature schema; the message names file, line and column. */
export class DatasetError extends HeflError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DATASET_INVALID', message, options);
  }
}

/** Bytes that do not load as a ciphertext under the federation's CKKS parameters. */
export class CiphertextError extends HeflError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CIPHERTEXT_INVALID', message, options);
  }
}

/** A secret key where only public material is allowed (the coordinator), or a missing key. */
export class KeyCustodyError extends HeflError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KEY_CUSTODY_VIOLATION', message, options);
  }
}

/** A wire message that fails its schema or arrives out of protocol order. */
export class WireMessageError extends HeflError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WIRE_MESSAGE_INVALID', message, options);
  }
}

export class RoundFailedError extends HeflError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ROUND_FAILED', message, options);
  }
}
