CREATE TABLE `complaint_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`reference` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`source` text NOT NULL,
	`channel` text NOT NULL,
	`category` text NOT NULL,
	`severity` text DEFAULT 'minor' NOT NULL,
	`description` text NOT NULL,
	`desired_outcome` text,
	`locale` text NOT NULL,
	`customer_id` text,
	`contact_name` text,
	`contact_email` text,
	`contact_phone` text,
	`contact_consent` integer DEFAULT false NOT NULL,
	`contact_channel` text,
	`response_id` text,
	`survey_id` text,
	`rule_ids` text,
	`api_key_id` text,
	`external_id` text,
	`order_value` integer,
	`assignee_id` text,
	`escalated` integer DEFAULT false NOT NULL,
	`merged_into` text,
	`previous_case_id` text,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`first_response_due_at` integer,
	`first_response_at_risk_at` integer,
	`next_response_due_at` integer,
	`next_response_at_risk_at` integer,
	`resolution_due_at` integer,
	`resolution_at_risk_at` integer,
	`alert` text,
	`watch_at` integer,
	`paused_at` integer,
	`first_responded_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`deadlines_missed` text DEFAULT '[]' NOT NULL,
	`customer_confirmed` integer,
	`handling_score` integer,
	`resolved_answer` text,
	`buy_again_score` integer,
	`follow_up_invitation_id` text,
	`customer_left` integer DEFAULT false NOT NULL,
	`outcome` text,
	`status_token` text NOT NULL,
	`status_token_revoked_at` integer,
	`reply_token` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`opened_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `complaint_cases_number_unique` ON `complaint_cases` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `complaint_cases_reference_unique` ON `complaint_cases` (`reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `complaint_cases_response_id_unique` ON `complaint_cases` (`response_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `complaint_cases_status_token_unique` ON `complaint_cases` (`status_token`);--> statement-breakpoint
CREATE UNIQUE INDEX `complaint_cases_reply_token_unique` ON `complaint_cases` (`reply_token`);--> statement-breakpoint
CREATE INDEX `complaint_cases_status_idx` ON `complaint_cases` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `complaint_cases_assignee_idx` ON `complaint_cases` (`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `complaint_cases_alert_idx` ON `complaint_cases` (`alert`,`status`);--> statement-breakpoint
CREATE INDEX `complaint_cases_watch_idx` ON `complaint_cases` (`watch_at`);--> statement-breakpoint
CREATE INDEX `complaint_cases_customer_idx` ON `complaint_cases` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `complaint_cases_created_idx` ON `complaint_cases` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `complaint_cases_external_idx` ON `complaint_cases` (`api_key_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `complaint_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`type` text NOT NULL,
	`actor` text NOT NULL,
	`actor_id` text,
	`actor_name` text,
	`before` text,
	`after` text,
	`body` text,
	`public` integer DEFAULT false NOT NULL,
	`message_id` text,
	`dedupe_key` text,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `complaint_cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `complaint_events_dedupe_key_unique` ON `complaint_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `complaint_events_case_idx` ON `complaint_events` (`case_id`,`id`);--> statement-breakpoint
CREATE TABLE `complaint_macros` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`body` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `loop_catches` (
	`response_id` text PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`customer_id` text,
	`rule_ids` text NOT NULL,
	`case_id` text,
	`silent_reason` text,
	`submitted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `loop_catches_survey_idx` ON `loop_catches` (`survey_id`,`submitted_at`);