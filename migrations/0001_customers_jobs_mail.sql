CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`external_id` text,
	`kind` text DEFAULT 'individual' NOT NULL,
	`name` text NOT NULL,
	`contact_name` text,
	`email` text,
	`phone` text,
	`postal_address` text,
	`locale` text DEFAULT 'zh-CN' NOT NULL,
	`time_zone` text DEFAULT 'Asia/Shanghai' NOT NULL,
	`region` text,
	`segment` text,
	`industry` text,
	`tier` text DEFAULT 'ordinary' NOT NULL,
	`consents` text DEFAULT '{}' NOT NULL,
	`do_not_contact` integer DEFAULT false NOT NULL,
	`do_not_call` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_external_id_unique` ON `customers` (`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `customers_email_unique` ON `customers` (`email`);--> statement-breakpoint
CREATE INDEX `customers_name_idx` ON `customers` (`name`);--> statement-breakpoint
CREATE INDEX `customers_segment_idx` ON `customers` (`segment`);--> statement-breakpoint
CREATE INDEX `customers_region_idx` ON `customers` (`region`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`dedupe_key` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`run_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 5 NOT NULL,
	`leased_by` text,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe_key_unique` ON `jobs` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`status`,`run_at`);--> statement-breakpoint
CREATE TABLE `outgoing_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text,
	`topic` text,
	`status` text DEFAULT 'held' NOT NULL,
	`smtp_message_id` text,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `outgoing_messages_status_idx` ON `outgoing_messages` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `responses` ADD `customer_id` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `campaign_id` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `hidden_fields` text;--> statement-breakpoint
CREATE INDEX `responses_customer_idx` ON `responses` (`customer_id`);