/**
 * Picks `;` or `,` by counting each outside double quotes on the header line. The UCI bank files
 * use `;`, most exports use `,`; a header with neither is a one-column file, read with `,`.
 */
export function detectCsvDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ';') semicolons += 1;
    else if (!quoted && char === ',') commas += 1;
  }
  return semicolons > commas ? ';' : ',';
}
