/** The plaintext fields of a message, as a ledger records them. */
export type ScalarFields = Record<string, string | number | boolean>;

/**
 * Every scalar field of a decoded message, nested messages flattened as `outer.inner`, byte payloads
 * (Uint8Array, Buffer) and arrays left out: what an auditor reads beside a payload's hash. Strings are
 * cut to `maxStringLength` characters when it is given (the coordinator's responses carry free text).
 */
export function scalarFields(message: object, maxStringLength?: number, prefix = ''): ScalarFields {
  const fields: ScalarFields = {};
  for (const [name, value] of Object.entries(message)) {
    if (typeof value === 'string') fields[`${prefix}${name}`] = maxStringLength === undefined ? value : value.slice(0, maxStringLength);
    else if (typeof value === 'number' || typeof value === 'boolean') fields[`${prefix}${name}`] = value;
    else if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !Array.isArray(value)) {
      Object.assign(fields, scalarFields(value as object, maxStringLength, `${prefix}${name}.`));
    }
  }
  return fields;
}
