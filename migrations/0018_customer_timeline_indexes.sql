DROP INDEX `responses_customer_idx`;--> statement-breakpoint
CREATE INDEX `responses_customer_time_idx` ON `responses` (`customer_id`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `complaint_cases_customer_resolved_idx` ON `complaint_cases` (`customer_id`,`resolved_at`) WHERE "complaint_cases"."resolved_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outgoing_messages_customer_idx` ON `outgoing_messages` (`customer_id`,`created_at`);