CREATE TABLE `purchase_import_rejections` (
	`import_id` text NOT NULL,
	`row_number` integer NOT NULL,
	`reason` text NOT NULL,
	`cells` text NOT NULL,
	PRIMARY KEY(`import_id`, `row_number`),
	FOREIGN KEY (`import_id`) REFERENCES `purchase_imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `purchase_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`created_by` text NOT NULL,
	`file_name` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`encoding` text,
	`delimiter` text,
	`mapping` text,
	`header` text,
	`status` text DEFAULT 'waiting' NOT NULL,
	`processed_bytes` integer DEFAULT 0 NOT NULL,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_created` integer DEFAULT 0 NOT NULL,
	`rows_unchanged` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`rows_blank` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `purchase_imports_created_idx` ON `purchase_imports` (`created_at`);--> statement-breakpoint
CREATE INDEX `purchases_refund_of_idx` ON `purchases` (`refund_of`) WHERE "purchases"."refund_of" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `purchases_import_idx` ON `purchases` (`import_id`) WHERE "purchases"."import_id" IS NOT NULL;