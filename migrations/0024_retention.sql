ALTER TABLE `complaint_cases` ADD `anonymised_at` integer;--> statement-breakpoint
CREATE INDEX `complaint_cases_retention_idx` ON `complaint_cases` (`closed_at`,`customer_id`) WHERE "complaint_cases"."status" = 'closed' AND "complaint_cases"."anonymised_at" IS NULL;--> statement-breakpoint
ALTER TABLE `responses` ADD `anonymised_at` integer;--> statement-breakpoint
ALTER TABLE `responses` ADD `tier` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `segment` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `region` text;--> statement-breakpoint
CREATE INDEX `responses_retention_idx` ON `responses` (`submitted_at`,`customer_id`) WHERE "responses"."anonymised_at" IS NULL;--> statement-breakpoint
CREATE INDEX `customers_legal_hold_idx` ON `customers` (`id`) WHERE "customers"."legal_hold" IS NOT NULL;