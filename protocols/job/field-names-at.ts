import { z } from 'zod';

/** The object schemas a (possibly wrapped) schema stands for: defaults, optionals, pipes and unions unwrapped. */
function objectsOf(schema: z.ZodType): z.ZodObject[] {
  if (schema instanceof z.ZodObject) return [schema];
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return objectsOf(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return objectsOf(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(objectsOf);
  return [];
}

function childAt(schema: z.ZodType, key: PropertyKey): z.ZodType[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return childAt(schema.unwrap() as z.ZodType, key);
  if (schema instanceof z.ZodPipe) return childAt(schema.in as z.ZodType, key);
  if (schema instanceof z.ZodArray) return typeof key === 'number' ? [schema.element as z.ZodType] : [];
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap((option) => childAt(option, key));
  if (schema instanceof z.ZodObject) {
    const child = (schema.shape as Record<string, z.ZodType>)[String(key)];
    return child ? [child] : [];
  }
  return [];
}

/** Field names a config object may have at `path` in `schema`: the candidates for "did you mean". */
export function fieldNamesAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType[] = [schema];
  for (const key of path) current = current.flatMap((candidate) => childAt(candidate, key));
  return [...new Set(current.flatMap(objectsOf).flatMap((object) => Object.keys(object.shape)))];
}
