CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `call_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`invitation_id` text NOT NULL,
	`interviewer_id` text NOT NULL,
	`outcome` text NOT NULL,
	`callback_at` integer,
	`note` text,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`invitation_id`) REFERENCES `campaign_invitations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`interviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `call_attempts_invitation_idx` ON `call_attempts` (`invitation_id`,`at`);--> statement-breakpoint
CREATE TABLE `campaign_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`delivery` text NOT NULL,
	`token` text,
	`skip_reason` text,
	`locale` text NOT NULL,
	`invited_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`message_id` text,
	`delivered_at` integer,
	`opened_at` integer,
	`started_at` integer,
	`completed_at` integer,
	`response_id` text,
	`reminders_sent` integer DEFAULT 0 NOT NULL,
	`last_reminded_at` integer,
	`unsubscribed_at` integer,
	`call_attempts` integer DEFAULT 0 NOT NULL,
	`call_state` text,
	`next_call_at` integer,
	`claimed_by` text,
	`claimed_until` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_invitations_dedupe_key_unique` ON `campaign_invitations` (`dedupe_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_invitations_token_unique` ON `campaign_invitations` (`token`);--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_invitations_response_id_unique` ON `campaign_invitations` (`response_id`);--> statement-breakpoint
CREATE INDEX `invitations_campaign_idx` ON `campaign_invitations` (`campaign_id`,`skip_reason`);--> statement-breakpoint
CREATE INDEX `invitations_customer_time_idx` ON `campaign_invitations` (`customer_id`,`invited_at`);--> statement-breakpoint
CREATE INDEX `invitations_calls_idx` ON `campaign_invitations` (`campaign_id`,`call_state`,`next_call_at`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`survey_id` text NOT NULL,
	`version_id` text,
	`delivery` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`audience` text,
	`settings` text DEFAULT '{}' NOT NULL,
	`kiosk_key` text,
	`audience_size` integer,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`launched_at` integer,
	`closed_at` integer,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`version_id`) REFERENCES `survey_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_kiosk_key_unique` ON `campaigns` (`kiosk_key`);--> statement-breakpoint
CREATE INDEX `campaigns_survey_idx` ON `campaigns` (`survey_id`);--> statement-breakpoint
CREATE INDEX `campaigns_created_idx` ON `campaigns` (`created_at`);--> statement-breakpoint
CREATE TABLE `integration_events` (
	`id` text PRIMARY KEY NOT NULL,
	`api_key_id` text NOT NULL,
	`external_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`invite_at` integer NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`invitation_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_events_external_idx` ON `integration_events` (`api_key_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `integration_events_campaign_idx` ON `integration_events` (`campaign_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `postal_keyings` (
	`invitation_id` text NOT NULL,
	`round` integer NOT NULL,
	`keyed_by` text NOT NULL,
	`answers` text NOT NULL,
	`keyed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`invitation_id`, `round`),
	FOREIGN KEY (`invitation_id`) REFERENCES `campaign_invitations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`keyed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `preferred_channel` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `headers` text;--> statement-breakpoint
CREATE INDEX `responses_campaign_idx` ON `responses` (`campaign_id`,`submitted_at`);