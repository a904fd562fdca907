import { dubCommand, type DubCommand } from '../dub/commands.js';
import { DubTransportError, type DubResponse } from '../dub/client.js';
import type { OutboxRow } from '../db/schema.js';
import { done, failed, type DeliveryOutcome } from './outcome.js';
import { httpFailure, type ExecuteDeps } from './dub-response.js';
import { executeRefund } from './refund.js';

export { describeResponse, httpFailure, type ExecuteDeps } from './dub-response.js';

const isSuccess = (status: number) => status >= 200 && status < 300;

/** A short record of what Dub answered, kept on the outbox row (no personal data). */
function summarize(response: DubResponse, extra: Record<string, unknown> = {}): string {
  const body = (response.body ?? {}) as Record<string, unknown>;
  const pick = (value: unknown) => (value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value);
  return JSON.stringify({
    status: response.status,
    ...(body.sale !== undefined ? { sale: body.sale === null ? null : 'recorded' } : {}),
    ...(body.customer !== undefined ? { customer: pick(body.customer) } : {}),
    ...(body.click !== undefined ? { click: pick(body.click) } : {}),
    ...extra,
  });
}

/** PATCH semantics: a field the provider left empty is left out, so it never clears Dub's value. */
function withoutEmptyFields<T extends Record<string, unknown>>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null && value !== undefined && value !== '')) as Partial<T>;
}

/**
 * Runs one stored command against Dub and says what happened. Never throws for Dub's answers or
 * transport failures: they become a DeliveryOutcome the dispatcher acts on.
 */
export async function executeCommand(row: Pick<OutboxRow, 'command' | 'idempotencyKey'>, deps: ExecuteDeps): Promise<DeliveryOutcome> {
  const parsed = dubCommand.safeParse(JSON.parse(row.command));
  if (!parsed.success) {
    return failed({ kind: 'invalid', message: `stored command is invalid: ${parsed.error.issues[0]?.message}` });
  }
  try {
    return await run(parsed.data, row.idempotencyKey, deps);
  } catch (error) {
    if (error instanceof DubTransportError) return failed({ kind: error.kind, message: error.message });
    throw error;
  }
}

async function run(command: DubCommand, outboxKey: string, deps: ExecuteDeps): Promise<DeliveryOutcome> {
  const { client } = deps;
  switch (command.kind) {
    case 'lead': {
      const response = await client.trackLead(command.body);
      return isSuccess(response.status) ? done('delivered', summarize(response)) : httpFailure(response);
    }
    case 'sale': {
      const response = await client.trackSale(command.body);
      if (!isSuccess(response.status)) return httpFailure(response);
      // Dub answers 200 with `sale: null` for a customer it never saw: known, but not attributed.
      const attributed = (response.body as { sale?: unknown } | null)?.sale !== null;
      return done(attributed ? 'delivered' : 'not_attributed', summarize(response));
    }
    case 'customer': {
      const response = await client.updateCustomer(command.externalId, withoutEmptyFields(command.body));
      if (isSuccess(response.status)) return done('delivered', summarize(response));
      if (response.status !== 404) return httpFailure(response);
      if (!command.leadIfUnknown) return done('skipped', summarize(response, { reason: 'customer unknown to Dub' }));
      const lead = await client.trackLead(command.leadIfUnknown);
      return isSuccess(lead.status) ? done('delivered', summarize(lead, { via: 'lead' })) : httpFailure(lead);
    }
    case 'refund':
      return executeRefund(command.body, outboxKey, deps);
  }
}
