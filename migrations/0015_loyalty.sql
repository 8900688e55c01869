CREATE TABLE `customer_loyalty` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`stage` text NOT NULL,
	`stage_since` integer,
	`regular_since` integer,
	`at_risk` integer DEFAULT false NOT NULL,
	`at_risk_reasons` text DEFAULT '[]' NOT NULL,
	`churned` text,
	`churned_at` integer,
	`recency` integer,
	`frequency` integer,
	`monetary` integer,
	`first_purchase_at` integer,
	`last_purchase_at` integer,
	`purchase_count` integer DEFAULT 0 NOT NULL,
	`window_purchases` integer DEFAULT 0 NOT NULL,
	`window_value` integer DEFAULT 0 NOT NULL,
	`median_gap_days` real,
	`computed_tier` text,
	`score` integer,
	`parts` text,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customer_loyalty_stage_idx` ON `customer_loyalty` (`stage`);--> statement-breakpoint
CREATE INDEX `customer_loyalty_at_risk_idx` ON `customer_loyalty` (`at_risk`,`window_value`);--> statement-breakpoint
CREATE TABLE `loyalty_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`at` integer NOT NULL,
	`field` text NOT NULL,
	`before` text,
	`after` text,
	`cause` text NOT NULL,
	`reasons` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `loyalty_changes_customer_idx` ON `loyalty_changes` (`customer_id`,`at`);--> statement-breakpoint
CREATE INDEX `loyalty_changes_at_idx` ON `loyalty_changes` (`at`);--> statement-breakpoint
CREATE TABLE `loyalty_stale` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`cause` text NOT NULL,
	`marked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `purchases` (
	`id` integer PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`order_id` text NOT NULL,
	`refund_of` text,
	`occurred_at` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`channel` text,
	`source` text NOT NULL,
	`api_key_id` text,
	`import_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchases_order_id_unique` ON `purchases` (`order_id`);--> statement-breakpoint
CREATE INDEX `purchases_customer_idx` ON `purchases` (`customer_id`,`occurred_at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `tier_set_by_hand` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `owner_id` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `objects_to_profiling` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `customers_owner_idx` ON `customers` (`owner_id`);