/**
 * Reads a merchant-set key from Paddle `custom_data` (checkout `customData`). Strings are trimmed;
 * numbers are accepted as their decimal text (a numeric user id); anything else is absent.
 */
export function customValue(customData: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const value = customData?.[key];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}
