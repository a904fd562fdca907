/** A merchant-set `checkout[custom][key]` value: trimmed text, or a number's decimal text; else absent. */
export function customValue(customData: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const value = customData?.[key];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** `ls_customer_<id>`: the customerExternalId of a customer the merchant did not name (Dub's importer does the same). */
export const lsCustomerExternalId = (customerId: string): string => `ls_customer_${customerId}`;
