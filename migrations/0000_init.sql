CREATE TABLE `compliance_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` integer NOT NULL,
	`action` text NOT NULL,
	`shop` text NOT NULL,
	`scrubbed_inbox` integer DEFAULT 0 NOT NULL,
	`scrubbed_outbox` integer DEFAULT 0 NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customer_links` (
	`source` text NOT NULL,
	`provider_customer_id` text NOT NULL,
	`external_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`source`, `provider_customer_id`)
);
--> statement-breakpoint
CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`event_key` text NOT NULL,
	`event_type` text NOT NULL,
	`account` text,
	`received_at` integer NOT NULL,
	`payload` text,
	`state` text NOT NULL,
	`reason` text,
	`receipt` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_source_event_key` ON `inbox` (`source`,`event_key`);--> statement-breakpoint
CREATE INDEX `inbox_received_at` ON `inbox` (`received_at`);--> statement-breakpoint
CREATE INDEX `inbox_account` ON `inbox` (`source`,`account`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` integer NOT NULL,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`customer_key` text,
	`tenant` text,
	`command` text NOT NULL,
	`rank` integer DEFAULT 1 NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`delivered_at` integer,
	`response` text,
	FOREIGN KEY (`inbox_id`) REFERENCES `inbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_inbox` ON `outbox` (`inbox_id`);--> statement-breakpoint
CREATE INDEX `outbox_customer` ON `outbox` (`customer_key`,`kind`,`state`);--> statement-breakpoint
CREATE TABLE `refund_applications` (
	`refund_key` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`state` text NOT NULL,
	`refunded_total` integer NOT NULL,
	`commissions_before` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `refund_applications_invoice` ON `refund_applications` (`invoice_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `refund_applications_one_sending` ON `refund_applications` (`invoice_id`) WHERE "refund_applications"."state" = 'sending';--> statement-breakpoint
CREATE TABLE `sale_ledger` (
	`invoice_id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`payment_intent` text,
	`stripe_invoice` text,
	`checkout_session` text,
	`charge` text,
	`shopify_order_id` text,
	`refunded_sent` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sale_ledger_payment_intent` ON `sale_ledger` (`payment_intent`);--> statement-breakpoint
CREATE INDEX `sale_ledger_stripe_invoice` ON `sale_ledger` (`stripe_invoice`);--> statement-breakpoint
CREATE INDEX `sale_ledger_charge` ON `sale_ledger` (`charge`);