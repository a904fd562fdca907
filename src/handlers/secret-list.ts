import * as z from 'zod';

/** One secret or several (rotation) in a JSON file, like the comma-separated env variables. */
export const secretOrList = <T extends z.ZodType<string>>(secret: T) =>
  z.union([secret, z.array(secret).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));

/** A comma-separated env variable -> its trimmed, non-empty entries. */
export const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
