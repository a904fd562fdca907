ALTER TABLE `inbox` ADD `content_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_source_content_key` ON `inbox` (`source`,`content_key`) WHERE "inbox"."content_key" IS NOT NULL;