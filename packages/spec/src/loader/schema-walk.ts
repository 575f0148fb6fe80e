// Finds what a zod schema allows at a path of a given value, for "did you mean" on unknown keys
// and for "expected one of" on bad discriminators. Reads zod's public `def` data, never parses.
import type { z } from 'zod';
import type { IssuePath } from '../issues/issue.js';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps optional/default/nullable wrappers and picks the union member that fits `value`. */
function resolve(schema: z.ZodType, value: unknown): z.ZodType {
  let current = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(current);
    if (
      def.innerType &&
      ['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type)
    ) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else if (def.type === 'union' && def.options) {
      const member = pickUnionMember(def, value);
      if (!member) return current;
      current = member;
    } else {
      return current;
    }
  }
  return current;
}

function pickUnionMember(def: Def, value: unknown): z.ZodType | undefined {
  const options = def.options ?? [];
  if (def.discriminator && value && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[def.discriminator];
    return options.find((option) => discriminatorValues(option, def.discriminator as string).includes(tag));
  }
  return options.find(
    (option) => defOf(resolve(option, value)).type === 'object' && typeof value === 'object',
  );
}

function discriminatorValues(option: z.ZodType, key: string): unknown[] {
  const shape = defOf(option).shape;
  const field = shape?.[key];
  if (!field) return [];
  const def = defOf(field) as Def & { values?: unknown[] };
  return def.values ?? [];
}

/** The schema that applies at `path` inside `value`, if it can be found. */
export function schemaAt(root: z.ZodType, value: unknown, path: IssuePath): z.ZodType | undefined {
  let schema = resolve(root, value);
  let current: unknown = value;
  for (const part of path) {
    const def = defOf(schema);
    if (def.type === 'object' && def.shape && typeof part === 'string') {
      const field = def.shape[part];
      if (!field) return undefined;
      current = (current as Record<string, unknown> | undefined)?.[part];
      schema = resolve(field, current);
    } else if (def.type === 'array' && def.element && typeof part === 'number') {
      current = (current as unknown[] | undefined)?.[part];
      schema = resolve(def.element, current);
    } else {
      return undefined;
    }
  }
  return schema;
}

/** The keys an object schema at `path` accepts. */
export function knownKeysAt(root: z.ZodType, value: unknown, path: IssuePath): string[] {
  const schema = schemaAt(root, value, path);
  const shape = schema ? defOf(schema).shape : undefined;
  return shape ? Object.keys(shape) : [];
}

/** For a discriminated union at `path`: its discriminator key and allowed tags. */
export function discriminatorAt(
  root: z.ZodType,
  value: unknown,
  path: IssuePath,
): { key: string; values: string[] } | undefined {
  let schema: z.ZodType | undefined = root;
  let current: unknown = value;
  for (const part of path) {
    if (!schema) return undefined;
    schema = schemaAt(schema, current, [part]);
    current = (current as Record<string | number, unknown> | undefined)?.[part];
  }
  if (!schema) return undefined;
  // Unwrap wrappers but stop at the union itself.
  for (let def = defOf(schema); def.innerType; def = defOf(schema)) schema = def.innerType;
  const def = defOf(schema);
  if (def.type !== 'union' || !def.discriminator) return undefined;
  const key = def.discriminator;
  const values = (def.options ?? []).flatMap((option) => discriminatorValues(option, key)).map(String);
  return { key, values };
}
