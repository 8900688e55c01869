CREATE TABLE `staff_reads` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`staff_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`route` text NOT NULL,
	`fields` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `staff_reads_at_idx` ON `staff_reads` (`at`,`id`);--> statement-breakpoint
CREATE INDEX `staff_reads_staff_idx` ON `staff_reads` (`staff_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `staff_reads_customer_idx` ON `staff_reads` (`customer_id`,`at`,`id`);