ALTER TABLE `outgoing_messages` ADD `customer_id` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `purpose` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `skip_reason` text;