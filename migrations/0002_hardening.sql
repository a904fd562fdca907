ALTER TABLE `outbox` ADD `scrubbed_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_unscrubbed` ON `outbox` (`state`,`created_at`) WHERE "outbox"."scrubbed_at" IS NULL;--> statement-breakpoint
ALTER TABLE `refund_applications` ADD `change` text;--> statement-breakpoint
ALTER TABLE `refund_applications` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `refund_applications` ADD `lease_until` integer;--> statement-breakpoint
CREATE INDEX `inbox_unpruned` ON `inbox` (`received_at`) WHERE "inbox"."payload" IS NOT NULL;