CREATE TABLE `follow_ups` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text,
	`purchase_id` integer,
	`assignee_id` text,
	`status` text NOT NULL,
	`skip_reason` text,
	`message_id` text,
	`reasons` text DEFAULT '[]' NOT NULL,
	`due_at` integer NOT NULL,
	`outcome` text,
	`note` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`worked_by` text,
	`worked_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_ups_dedupe_key_unique` ON `follow_ups` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `follow_ups_assignee_idx` ON `follow_ups` (`assignee_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `follow_ups_status_idx` ON `follow_ups` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `follow_ups_customer_idx` ON `follow_ups` (`customer_id`,`created_at`);