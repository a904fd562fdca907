import type { DubCommand } from '../dub/commands.js';

/** A learned link from a provider's customer id to the customerExternalId Dub knows. */
export interface CustomerLink {
  /** The provider (`stripe`, `paddle`, …) whose customer id this is. */
  source: string;
  providerCustomerId: string;
  externalId: string;
}

/**
 * Where a provider's stored payloads keep a customer and its orders (JSON paths, event-type LIKE
 * patterns), so the store can find them for a redaction without knowing the provider.
 */
export interface CompliancePaths {
  source: string;
  /** Customer id paths, each for the event types that carry it there. */
  customerIds: Array<{ types: string; path: string }>;
  emails: string[];
  orders: { types: string; idPath: string };
  refunds: { types: string; orderIdPath: string };
  /** The customerExternalId of a guest order is this prefix and the order id. */
  guestKeyPrefix: string;
}

/** Compliance work (privacy requests) the pipeline carries out in the store (no Dub call). */
export type ComplianceAction =
  | { action: 'data_request'; shop: string; customerId: string | null; email: string | null; paths: CompliancePaths }
  /** `orderIds`: orders named by the request, scrubbed with their refunds whoever placed them. */
  | { action: 'redact_customer'; shop: string; customerId: string | null; email: string | null; orderIds?: string[]; paths: CompliancePaths }
  | { action: 'redact_shop'; shop: string; paths: CompliancePaths };

/** What a mapper decided for one provider event. Mappers are pure: no I/O, no clock, no env. */
export type MapResult =
  | { outcome: 'commands'; commands: DubCommand[]; links: CustomerLink[] }
  | { outcome: 'ignored'; reason: string; links: CustomerLink[] }
  | { outcome: 'compliance'; compliance: ComplianceAction };

/** `TEST_EVENTS` values: what happens to Stripe `livemode: false` and Shopify `test: true` orders. */
export const testEventsPolicies = ['forward', 'skip', 'tag'] as const;
export type TestEventsPolicy = (typeof testEventsPolicies)[number];

/** Settings and looked-up facts a mapper may use; gathered by the pipeline before mapping. */
export interface MapContext {
  /** `TEST_EVENTS`: forward test events, skip them, or forward them tagged (`metadata.testEvent`). */
  testEvents: TestEventsPolicy;
  /**
   * The customer-link table's answer for the event's provider customer id (Stripe `cus_…`),
   * looked up by the pipeline before mapping; undefined when there is no link.
   */
  linkedExternalId?: string | undefined;
  /** The provider's parsed extra settings (its `settings` schema), e.g. RevenueCat's ignored stores. */
  settings?: Record<string, unknown>;
}

export const ignored = (reason: string, links: CustomerLink[] = []): MapResult => ({
  outcome: 'ignored',
  reason,
  links,
});

export const commands = (list: DubCommand[], links: CustomerLink[] = []): MapResult => ({
  outcome: 'commands',
  commands: list,
  links,
});

/** Every command carries `metadata.source = "dub-bridge"` plus the provider ids it came from. */
export function bridgeMetadata(ids: Record<string, string | number | null | undefined>): Record<string, unknown> {
  const metadata: Record<string, unknown> = { source: 'dub-bridge' };
  for (const [key, value] of Object.entries(ids)) {
    if (value !== null && value !== undefined && value !== '') metadata[key] = value;
  }
  return metadata;
}

/**
 * `TEST_EVENTS=tag`: marks every command of a test event with `metadata.testEvent = true`. A
 * customer update has no metadata in Dub's API, so only its fallback lead is marked.
 */
export function tagTestEvent(result: MapResult): MapResult {
  if (result.outcome !== 'commands') return result;
  const tag = <T extends { metadata?: Record<string, unknown> | undefined }>(body: T): T => ({
    ...body,
    metadata: { ...body.metadata, testEvent: true },
  });
  const tagged = result.commands.map((command): DubCommand => {
    switch (command.kind) {
      case 'lead':
        return { ...command, body: tag(command.body) };
      case 'sale':
        return { ...command, body: tag(command.body) };
      case 'refund':
        return { ...command, body: tag(command.body) };
      case 'customer':
        return command.leadIfUnknown ? { ...command, leadIfUnknown: tag(command.leadIfUnknown) } : command;
    }
  });
  return { ...result, commands: tagged };
}
