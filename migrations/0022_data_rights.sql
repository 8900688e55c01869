CREATE TABLE `erased_keys` (
	`key_hash` text PRIMARY KEY NOT NULL,
	`erased_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `erasure_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`actor_id` text,
	`actor_name` text,
	`customer_ids` text NOT NULL,
	`unknown` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`erased` integer DEFAULT 0 NOT NULL,
	`already_erased` integer DEFAULT 0 NOT NULL,
	`held` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `privacy_requests` (
	`id` integer PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`format` text,
	`reason` text,
	`actor_id` text,
	`actor_name` text,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `privacy_requests_customer_idx` ON `privacy_requests` (`customer_id`,`at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `legal_hold` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `erased_at` integer;