CREATE TABLE `sale_refs` (
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`invoice_id` text NOT NULL,
	PRIMARY KEY(`source`, `kind`, `value`)
);
--> statement-breakpoint
CREATE INDEX `sale_refs_invoice` ON `sale_refs` (`invoice_id`);--> statement-breakpoint
-- Existing sales keep their references: one sale_refs row per non-null provider column.
INSERT OR IGNORE INTO `sale_refs` (`source`, `kind`, `value`, `invoice_id`)
  SELECT `source`, 'paymentIntent', `payment_intent`, `invoice_id` FROM `sale_ledger` WHERE `payment_intent` IS NOT NULL
  UNION ALL SELECT `source`, 'stripeInvoice', `stripe_invoice`, `invoice_id` FROM `sale_ledger` WHERE `stripe_invoice` IS NOT NULL
  UNION ALL SELECT `source`, 'checkoutSession', `checkout_session`, `invoice_id` FROM `sale_ledger` WHERE `checkout_session` IS NOT NULL
  UNION ALL SELECT `source`, 'charge', `charge`, `invoice_id` FROM `sale_ledger` WHERE `charge` IS NOT NULL
  UNION ALL SELECT `source`, 'shopifyOrderId', `shopify_order_id`, `invoice_id` FROM `sale_ledger` WHERE `shopify_order_id` IS NOT NULL;
--> statement-breakpoint
DROP INDEX `sale_ledger_payment_intent`;--> statement-breakpoint
DROP INDEX `sale_ledger_stripe_invoice`;--> statement-breakpoint
DROP INDEX `sale_ledger_charge`;--> statement-breakpoint
ALTER TABLE `sale_ledger` DROP COLUMN `payment_intent`;--> statement-breakpoint
ALTER TABLE `sale_ledger` DROP COLUMN `stripe_invoice`;--> statement-breakpoint
ALTER TABLE `sale_ledger` DROP COLUMN `checkout_session`;--> statement-breakpoint
ALTER TABLE `sale_ledger` DROP COLUMN `charge`;--> statement-breakpoint
ALTER TABLE `sale_ledger` DROP COLUMN `shopify_order_id`;--> statement-breakpoint
ALTER TABLE `inbox` ADD `tenant` text;