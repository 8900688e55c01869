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
CREATE INDEX `privacy_requests_customer_idx` ON `privacy_requests` (`customer_id`,`at`);