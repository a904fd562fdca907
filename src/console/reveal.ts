import { maskPersonalData } from '../cli/mask.js';

/** One leaf of a stored command as the console shows it. */
export interface Field {
  /** `body.customerEmail`, `leadIfUnknown.clickId`, `body.metadata.orderName`. */
  path: string;
  shown: string;
  /** Personal data shown masked; the operator may reveal this one field. */
  maskable: boolean;
  revealed: boolean;
}

function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) leaves(child, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/**
 * Flattens a stored command into fields, masked as the CLI masks them (names, emails, secrets),
 * except the one field the operator asked to reveal (`reveal`, a path).
 */
export function commandFields(command: unknown, reveal?: string): Field[] {
  const original = leaves(command, '', new Map());
  const masked = leaves(maskPersonalData(command), '', new Map());
  return [...original].map(([path, value]) => {
    const safe = masked.get(path);
    const maskable = safe !== value;
    const revealed = maskable && path === reveal;
    return { path, shown: String(revealed ? value : safe), maskable, revealed };
  });
}

/** A reveal request `<outboxId>:<path>` from the trace page's form. */
export function parseReveal(value: unknown): { outboxId: number; path: string } | undefined {
  const match = typeof value === 'string' ? /^(\d{1,12}):([\w.-]{1,200})$/.exec(value) : null;
  return match ? { outboxId: Number(match[1]), path: match[2]! } : undefined;
}
