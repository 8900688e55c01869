CREATE TABLE `consent_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`fact` text NOT NULL,
	`old_value` integer NOT NULL,
	`new_value` integer NOT NULL,
	`source` text NOT NULL,
	`customer_request` integer DEFAULT false NOT NULL,
	`actor_id` text,
	`actor_name` text,
	`note` text,
	`changed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consent_changes_customer_idx` ON `consent_changes` (`customer_id`,`fact`,`id`);--> statement-breakpoint
CREATE TABLE `customer_import_consent_kept` (
	`import_id` text NOT NULL,
	`row_number` integer NOT NULL,
	`customer_id` text NOT NULL,
	`facts` text NOT NULL,
	PRIMARY KEY(`import_id`, `row_number`),
	FOREIGN KEY (`import_id`) REFERENCES `customer_imports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `customer_imports` ADD `rows_consent_kept` integer DEFAULT 0 NOT NULL;