import type { AdminGraphql } from './cli-admin.js';

/** `orders/paid` -> `ORDERS_PAID`, the Admin API's WebhookSubscriptionTopic. */
const topicEnum = (topic: string) => topic.toUpperCase().replace(/\//g, '_');

interface Subscription {
  id: string;
  topic: string;
  callbackUrl: string | null;
}

export interface SubscriptionResult {
  topic: string;
  id: string;
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
}

const LIST = `query DubBridgeWebhookSubscriptions($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    edges { node { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CREATE = `mutation DubBridgeWebhookCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}`;

const UPDATE = `mutation DubBridgeWebhookUpdate($id: ID!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionUpdate(id: $id, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}`;

const DELETE = `mutation DubBridgeWebhookDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`;

interface ListData {
  webhookSubscriptions: {
    edges: { node: { id: string; topic: string; endpoint: { __typename: string; callbackUrl?: string } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
type MutationData = Record<
  string,
  { webhookSubscription?: { id: string }; deletedWebhookSubscriptionId?: string; userErrors: { field: string[] | null; message: string }[] }
>;

/** Every webhook subscription the token's app has on the shop. */
async function listSubscriptions(admin: AdminGraphql): Promise<Subscription[]> {
  const found: Subscription[] = [];
  let after: string | null = null;
  do {
    const data: ListData = await admin<ListData>(LIST, { after });
    for (const { node } of data.webhookSubscriptions.edges) {
      found.push({ id: node.id, topic: node.topic, callbackUrl: node.endpoint.callbackUrl ?? null });
    }
    after = data.webhookSubscriptions.pageInfo.hasNextPage ? data.webhookSubscriptions.pageInfo.endCursor : null;
  } while (after);
  return found;
}

async function mutate(admin: AdminGraphql, name: string, query: string, variables: Record<string, unknown>, topic: string) {
  const data = await admin<MutationData>(query, variables);
  const result = data[name];
  if (!result || result.userErrors.length > 0) {
    throw new Error(`Shopify refused ${name} for ${topic}: ${result?.userErrors.map((e) => e.message).join('; ') ?? 'no result'}`);
  }
  return result;
}

/** A dub-bridge Shopify route (`…/webhooks/shopify`, or a tenant's `…/webhooks/shopify/<id>`). */
const isBridgeRoute = (url: string | null) => url !== null && /\/webhooks\/shopify(\/[a-z0-9][a-z0-9_-]*)?\/?$/.test(url.split('?')[0]!);

/** A topic already delivered to another dub-bridge URL that `register` will not take over by itself. */
export interface SubscriptionConflict {
  topic: string;
  id: string;
  callbackUrl: string;
}

/** `register shopify` found topics pointing at another bridge; nothing was changed. */
export class SubscriptionConflictError extends Error {
  override readonly name = 'SubscriptionConflictError';
  constructor(readonly conflicts: SubscriptionConflict[]) {
    super(`${conflicts.length} topic(s) already go to another dub-bridge URL`);
  }
}

/**
 * Subscribes `callbackUrl` to each topic. Idempotent: a topic already subscribed at this URL is
 * left alone. A topic subscribed at another dub-bridge URL is repointed only when that URL is
 * `moveFrom` (the operator said the bridge moved); any other such subscription may belong to a
 * second bridge that is still in use, so the whole run stops before changing anything.
 */
export async function registerShopifySubscriptions(
  admin: AdminGraphql,
  callbackUrl: string,
  topics: readonly string[],
  moveFrom?: string,
): Promise<SubscriptionResult[]> {
  const existing = await listSubscriptions(admin);
  const plan = topics.map((topic) => {
    const ofTopic = existing.filter((s) => s.topic === topicEnum(topic));
    const current = ofTopic.find((s) => s.callbackUrl === callbackUrl);
    const moved = moveFrom === undefined ? undefined : ofTopic.find((s) => s.callbackUrl === moveFrom);
    const others = ofTopic.filter((s) => s !== current && s !== moved && isBridgeRoute(s.callbackUrl));
    return { topic, current, moved, others };
  });
  const conflicts = plan.flatMap(({ topic, current, moved, others }) =>
    current || moved ? [] : others.map((s) => ({ topic, id: s.id, callbackUrl: s.callbackUrl ?? '' })),
  );
  if (conflicts.length > 0) throw new SubscriptionConflictError(conflicts);
  const results: SubscriptionResult[] = [];
  const webhookSubscription = { callbackUrl, format: 'JSON' };
  for (const { topic, current, moved } of plan) {
    if (current) {
      results.push({ topic, id: current.id, action: 'unchanged' });
    } else if (moved) {
      await mutate(admin, 'webhookSubscriptionUpdate', UPDATE, { id: moved.id, webhookSubscription }, topic);
      results.push({ topic, id: moved.id, action: 'updated' });
    } else {
      const created = await mutate(admin, 'webhookSubscriptionCreate', CREATE, { topic: topicEnum(topic), webhookSubscription }, topic);
      results.push({ topic, id: created.webhookSubscription?.id ?? '', action: 'created' });
    }
  }
  return results;
}

/**
 * Deletes every subscription whose callback is `callbackUrl`, whatever its topic; `knownTopics`
 * only name them in the result (`orders/paid` rather than `ORDERS_PAID`).
 */
export async function unregisterShopifySubscriptions(admin: AdminGraphql, callbackUrl: string, knownTopics: readonly string[]): Promise<SubscriptionResult[]> {
  const ours = (await listSubscriptions(admin)).filter((s) => s.callbackUrl === callbackUrl);
  for (const s of ours) await mutate(admin, 'webhookSubscriptionDelete', DELETE, { id: s.id }, s.topic);
  const nameOf = (value: string) => knownTopics.find((topic) => topicEnum(topic) === value) ?? value;
  return ours.map((s) => ({ topic: nameOf(s.topic), id: s.id, action: 'deleted' }));
}
