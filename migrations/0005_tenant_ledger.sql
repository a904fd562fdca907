DROP INDEX `refund_applications_invoice`;--> statement-breakpoint
DROP INDEX `refund_applications_one_sending`;--> statement-breakpoint
ALTER TABLE `refund_applications` ADD `tenant` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `refund_applications` SET `tenant` = coalesce((SELECT o.tenant FROM `sale_ledger` l JOIN `outbox` o ON o.id = l.outbox_id WHERE l.invoice_id = `refund_applications`.`invoice_id`), '');--> statement-breakpoint
CREATE INDEX `refund_applications_invoice` ON `refund_applications` (`tenant`,`invoice_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `refund_applications_one_sending` ON `refund_applications` (`tenant`,`invoice_id`) WHERE "refund_applications"."state" = 'sending';--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sale_refs` (
	`tenant` text DEFAULT '' NOT NULL,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`invoice_id` text NOT NULL,
	PRIMARY KEY(`tenant`, `source`, `kind`, `value`)
);
--> statement-breakpoint
-- Existing rows take the tenant of the outbox row that holds their sale (or of the customer's latest command).
INSERT INTO `__new_sale_refs`("tenant", "source", "kind", "value", "invoice_id")
  SELECT coalesce((SELECT o.tenant FROM `sale_ledger` l JOIN `outbox` o ON o.id = l.outbox_id WHERE l.invoice_id = r.invoice_id), ''), r."source", r."kind", r."value", r."invoice_id" FROM `sale_refs` r;--> statement-breakpoint
DROP TABLE `sale_refs`;--> statement-breakpoint
ALTER TABLE `__new_sale_refs` RENAME TO `sale_refs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `sale_refs_invoice` ON `sale_refs` (`tenant`,`invoice_id`);--> statement-breakpoint
CREATE TABLE `__new_customer_links` (
	`tenant` text DEFAULT '' NOT NULL,
	`source` text NOT NULL,
	`provider_customer_id` text NOT NULL,
	`external_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant`, `source`, `provider_customer_id`)
);
--> statement-breakpoint
INSERT INTO `__new_customer_links`("tenant", "source", "provider_customer_id", "external_id", "updated_at")
  SELECT coalesce((SELECT o.tenant FROM `outbox` o WHERE o.customer_key = c.external_id ORDER BY o.id DESC LIMIT 1), ''), c."source", c."provider_customer_id", c."external_id", c."updated_at" FROM `customer_links` c;--> statement-breakpoint
DROP TABLE `customer_links`;--> statement-breakpoint
ALTER TABLE `__new_customer_links` RENAME TO `customer_links`;--> statement-breakpoint
CREATE TABLE `__new_sale_ledger` (
	`tenant` text DEFAULT '' NOT NULL,
	`invoice_id` text NOT NULL,
	`source` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`refunded_sent` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant`, `invoice_id`)
);
--> statement-breakpoint
INSERT INTO `__new_sale_ledger`("tenant", "invoice_id", "source", "outbox_id", "amount", "currency", "refunded_sent", "created_at")
  SELECT coalesce((SELECT o.tenant FROM `outbox` o WHERE o.id = l.outbox_id), ''), l."invoice_id", l."source", l."outbox_id", l."amount", l."currency", l."refunded_sent", l."created_at" FROM `sale_ledger` l;--> statement-breakpoint
DROP TABLE `sale_ledger`;--> statement-breakpoint
ALTER TABLE `__new_sale_ledger` RENAME TO `sale_ledger`;