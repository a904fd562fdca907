import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { Config } from '../../config.js';
import type { CliContext, CommandModule } from '../context.js';
import { loadConfig } from '../context.js';
import { CliError, configError, usageError } from '../errors.js';
import { printable } from '../output.js';
import { parseAmount, parseCurrency } from '../trigger/amount.js';
import type { TriggerProvider, TriggerRequest } from '../trigger/types.js';
import type { ProviderDefinition } from '../../handlers/provider.js';
import { positiveInteger, tenantId } from './parse.js';
import { showRecorded } from './trigger-report.js';

interface TriggerOptions {
  clickId?: string;
  customer?: string;
  amount?: string;
  currency?: string;
  url?: string;
  tenant?: string;
  wait: number;
  json?: boolean;
  /** Providers' own account flags (`TriggerAdapter.account`), by attribute name. */
  [flag: string]: unknown;
}

/** `dub-bridge trigger <provider> <event>`: the project's `stripe trigger`, against a running bridge. */
export const triggerCommand: CommandModule = (program, ctx) => {
  const command = program
    .command('trigger')
    .description('send a realistic, signed test webhook to a running bridge and show what it recorded (like `stripe trigger`)')
    .argument('<provider>', 'a registered provider (listed below)')
    .argument('[event]', "the event type (default: the provider's first, listed below)")
    .option('--click-id <id>', "a Dub click id (the dub_id cookie's value) to attribute the sale to")
    .option('--customer <id>', 'your customer id, where the provider carries it')
    .option('--amount <decimal>', 'the sale before tax, in major units: 49.99 (1000 for JPY)', parseAmount)
    .option('--currency <code>', 'ISO 4217 currency, e.g. eur', parseCurrency)
    .option('--url <bridge url>', "the bridge's base URL (default http://127.0.0.1:$PORT); /webhooks/<provider> is added")
    .option('--tenant <id>', "send to a tenant's route, /webhooks/<provider>/<id>, signed with its secret from TENANTS_FILE", tenantId);
  // The providers' flags and events are known once their adapters load: only when trigger runs.
  program.hook('preSubcommand', async (_program, dispatched) => {
    if (dispatched !== command) return;
    const [{ triggerProviders }, { providers }] = await Promise.all([import('../trigger/index.js'), import('../../handlers/index.js')]);
    describeProviders(command, triggerProviders, providers);
  });
  command
    .addOption(
      new Option('--wait <seconds>', 'how long to wait for the bridge to deliver (0: do not look)')
        .argParser((v) => (v === '0' ? 0 : positiveInteger(v)))
        .default(5),
    )
    .option('--json', 'print JSON (for scripts)')
    .action(async (provider: string, event: string | undefined, options: TriggerOptions) => ctx.setExitCode(await trigger(provider, event, options, ctx)));
};

/** The `<provider>` choices, the providers' own flags and the help's list of events and secrets. */
function describeProviders(command: Command, senders: readonly TriggerProvider[], providers: readonly ProviderDefinition[]) {
  const can = senders.filter((p) => !p.unavailable);
  const cannot = senders.filter((p) => p.unavailable).map((p) => p.source);
  const names = can.map((p) => p.source);
  const choices = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
  command.registeredArguments[0]!.description = `${choices}${cannot.length ? ` (${cannot.join(', ')}: says why it cannot be simulated)` : ''}`;
  for (const flags of new Set(senders.flatMap((p) => (p.account ? [p.account.flags] : [])))) {
    command.addOption(new Option(flags, senders.find((p) => p.account?.flags === flags)!.account!.description));
  }
  const events = can.flatMap((p) => Object.keys(p.events).map((event) => `${p.source} ${event}`));
  const secrets = can.map((p) => providers.find((d) => d.source === p.source)?.secretVariable).filter(Boolean);
  const notes = can.flatMap((p) => (p.note ? [`${p.note}.`] : []));
  command.addHelpText(
    'after',
    `
${wrap(`Events: ${events.join(' · ')}.`, ' · ')}

${wrap(
  'The event is built from a sample shipped with dub-bridge (test mode where the provider has one), ' +
    'with new ids every run, and signed the way the provider signs with its secret from this ' +
    `environment (${secrets.join(', ')}; .env is read): the bridge must use the same.`,
  ' ',
)}
With DUB_API_KEY set on the bridge, the sale really reaches that Dub workspace.${notes.length ? `\n${notes.join('\n')}` : ''}`,
  );
}

/** Breaks `text` at `separator` into lines of at most about 100 characters. */
function wrap(text: string, separator: string): string {
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(separator)) {
    const next = line ? `${line}${separator}${part}` : part;
    if (line && next.length > 100) {
      lines.push(`${line}${separator.trimEnd()}`);
      line = part;
    } else line = next;
  }
  return [...lines, line].join('\n');
}

async function trigger(source: string, event: string | undefined, options: TriggerOptions, ctx: CliContext): Promise<number> {
  const [{ triggerProviders }, { providers }] = await Promise.all([import('../trigger/index.js'), import('../../handlers/index.js')]);
  const sender = triggerProviders.find((p) => p.source === source);
  if (!sender) {
    const others = providers.map((p) => p.source).filter((s) => !triggerProviders.some((t) => t.source === s));
    const can = triggerProviders.filter((p) => !p.unavailable).map((p) => p.source);
    throw usageError(`trigger supports ${can.join(', ')}${others.length ? ` (not yet: ${others.join(', ')})` : ''}; got ${source}`);
  }
  if (sender.unavailable) throw new CliError(sender.unavailable(ctx.env));
  const eventType = event ?? Object.keys(sender.events)[0]!;
  const build = sender.events[eventType];
  if (!build) throw usageError(`${source} events trigger can send: ${Object.keys(sender.events).join(', ')}; got ${eventType}`);
  const definition = providers.find((p) => p.source === source)!;
  const config = await loadConfig(ctx);
  const secret = await secretFor(config, source, definition.secretVariable, options.tenant);
  const url = webhookUrl(options.url ?? `http://127.0.0.1:${config.PORT}`, source, options.tenant);
  const id = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  const account = sender.account ? (options[new Option(sender.account.flags).attributeName()] as string | undefined) : undefined;
  const request = build(
    { clickId: options.clickId, customer: options.customer, amount: options.amount, currency: options.currency, account, id, now: ctx.now() },
    secret,
  );
  const response = await post(url, request);
  const answer = await response.text();
  if (!response.ok) throw new CliError(refusal(response.status, answer, url, definition.secretVariable));
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  const database = resolve(config.DATABASE_PATH);
  const recorded =
    local && options.wait > 0 && existsSync(database) ? await showRecorded({ database, source, request, config, waitMs: options.wait * 1000, ctx }) : null;
  if (options.json) {
    ctx.out.json({ url, status: response.status, answer: parseJson(answer), eventKey: recorded?.event?.eventKey ?? null, recorded });
    return 0;
  }
  ctx.out.line(`sent ${source} ${eventType} to ${url}: ${response.status} ${printable(answer)}`);
  if (recorded) recorded.print(ctx);
  else ctx.out.line(`see what the bridge made of it on its host: dub-bridge events list --source ${source}`);
  return 0;
}

/** The secret the bridge verifies with: the tenant's own (TENANTS_FILE), else the env variable's first. */
async function secretFor(config: Config, source: string, variable: string, tenant?: string): Promise<string> {
  if (tenant) {
    const { tenantProvider } = await import('../../tenants/file.js');
    const { providers } = await import('../../handlers/index.js');
    const found = config.tenants?.tenants.find((t) => t.id === tenant);
    if (!found) throw configError(`TENANTS_FILE: no tenant ${tenant}${config.TENANTS_FILE ? '' : ' (TENANTS_FILE is not set)'}`);
    const own = tenantProvider(found, providers.find((p) => p.source === source)!)?.secrets[0];
    if (own) return own;
  }
  const secret = config.providers[source]?.secrets[0];
  if (!secret)
    throw configError(
      `${variable}: not set here; trigger signs with the secret the bridge verifies with, so set the same ${variable} (in .env or the environment)`,
    );
  return secret;
}

/** The webhook URL from a base URL (a URL already ending in the route is kept). */
function webhookUrl(base: string, source: string, tenant?: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw usageError('--url: expected the bridge URL, e.g. http://127.0.0.1:8787');
  }
  const route = `/webhooks/${source}${tenant ? `/${tenant}` : ''}`;
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(route) ? path : `${path}${route}`;
  return url.toString();
}

async function post(url: string, request: TriggerRequest): Promise<Response> {
  try {
    return await fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    if (cause === 'ECONNREFUSED') throw new CliError(`no bridge answers at ${new URL(url).origin}: start it (npm start) or pass --url`);
    throw new CliError(`cannot reach ${url}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  }
}

/** What a refusal means for the operator, by status. */
function refusal(status: number, answer: string, url: string, variable: string): string {
  const said = `${status} ${printable(answer.slice(0, 300))}`;
  switch (status) {
    case 401:
      return `the bridge refused the signature (${said}): it verifies with another ${variable} than this environment's; use the same value in both`;
    case 503:
      return `the bridge has no ${variable} (${said}): set it where the bridge runs (the same value trigger signs with) and restart it`;
    case 404:
      return `the bridge at ${url} does not know this route or tenant (${said})`;
    default:
      return `the bridge answered ${said}`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
