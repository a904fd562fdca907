import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for a shop's Admin GraphQL endpoint with the webhook subscription operations:
 * the `webhookSubscriptions` query (paginated) and the create/update/delete mutations. It checks
 * the access token header and records each operation with its variables.
 */
export interface FakeSubscription {
  id: string;
  topic: string;
  callbackUrl: string;
  format: string;
}

export interface GraphqlCall {
  path: string;
  operation: 'list' | 'create' | 'update' | 'delete' | 'unknown';
  query: string;
  variables: Record<string, any>;
}

const PAGE_SIZE = 2; // small, so the CLI's pagination is exercised

export async function startFakeShopify(accessToken = 'shpat_cli_test_token') {
  const subscriptions = new Map<string, FakeSubscription>();
  const calls: GraphqlCall[] = [];
  let next = 1;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const operationOf = (query: string): GraphqlCall['operation'] =>
    /webhookSubscriptionCreate\s*\(/.test(query)
      ? 'create'
      : /webhookSubscriptionUpdate\s*\(/.test(query)
        ? 'update'
        : /webhookSubscriptionDelete\s*\(/.test(query)
          ? 'delete'
          : /webhookSubscriptions\s*\(/.test(query)
            ? 'list'
            : 'unknown';
  const node = (s: FakeSubscription) => ({ id: s.id, topic: s.topic, endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: s.callbackUrl } });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://shop.local').pathname;
    if (req.method !== 'POST' || !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(path)) return send(res, 404, { errors: 'Not Found' });
    if (req.headers['x-shopify-access-token'] !== accessToken) {
      return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    const { query, variables = {} } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, any> };
    const operation = operationOf(query);
    calls.push({ path, operation, query, variables });

    switch (operation) {
      case 'list': {
        const all = [...subscriptions.values()];
        const start = variables.after ? all.findIndex((s) => s.id === variables.after) + 1 : 0;
        const page = all.slice(start, start + PAGE_SIZE);
        const hasNextPage = start + PAGE_SIZE < all.length;
        return send(res, 200, {
          data: {
            webhookSubscriptions: {
              edges: page.map((s) => ({ cursor: s.id, node: node(s) })),
              pageInfo: { hasNextPage, endCursor: page.at(-1)?.id ?? null },
            },
          },
        });
      }
      case 'create': {
        const input = variables.webhookSubscription ?? {};
        if (!/^[A-Z_]+$/.test(variables.topic ?? '') || typeof input.callbackUrl !== 'string') {
          return send(res, 200, {
            data: { webhookSubscriptionCreate: { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription'], message: 'invalid input' }] } },
          });
        }
        const s: FakeSubscription = {
          id: `gid://shopify/WebhookSubscription/${next++}`,
          topic: variables.topic,
          callbackUrl: input.callbackUrl,
          format: input.format ?? 'JSON',
        };
        subscriptions.set(s.id, s);
        return send(res, 200, { data: { webhookSubscriptionCreate: { webhookSubscription: { id: s.id, topic: s.topic }, userErrors: [] } } });
      }
      case 'update': {
        const s = subscriptions.get(variables.id);
        if (!s)
          return send(res, 200, {
            data: { webhookSubscriptionUpdate: { webhookSubscription: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] } },
          });
        s.callbackUrl = variables.webhookSubscription?.callbackUrl ?? s.callbackUrl;
        return send(res, 200, { data: { webhookSubscriptionUpdate: { webhookSubscription: { id: s.id, topic: s.topic }, userErrors: [] } } });
      }
      case 'delete': {
        const existed = subscriptions.delete(variables.id);
        return send(res, 200, {
          data: {
            webhookSubscriptionDelete: existed
              ? { deletedWebhookSubscriptionId: variables.id, userErrors: [] }
              : { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] },
          },
        });
      }
      default:
        return send(res, 200, { errors: [{ message: 'unsupported operation in the fake shop' }] });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    subscriptions,
    calls,
    /** Adds a subscription as if created earlier (by another URL or app). */
    seed(topic: string, callbackUrl: string) {
      const s = { id: `gid://shopify/WebhookSubscription/${next++}`, topic, callbackUrl, format: 'JSON' };
      subscriptions.set(s.id, s);
      return s;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeShopify = Awaited<ReturnType<typeof startFakeShopify>>;
