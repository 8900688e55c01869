CREATE TABLE `answer_cells` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`cube` text NOT NULL,
	`grain` text NOT NULL,
	`period` text NOT NULL,
	`channel` text NOT NULL,
	`segment` text NOT NULL,
	`tier` text NOT NULL,
	`region` text NOT NULL,
	`flagged` integer NOT NULL,
	`stats` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `answer_cells_cell_idx` ON `answer_cells` (`survey_id`,`cube`,`grain`,`period`,`channel`,`segment`,`tier`,`region`,`flagged`);--> statement-breakpoint
CREATE TABLE `insight_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`time_zone` text NOT NULL,
	`basis` text NOT NULL,
	`rebuilt_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `moment_item_sets` (
	`signature` text PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`items` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `moment_stats` (
	`survey_id` text NOT NULL,
	`item_set` text NOT NULL,
	`grain` text NOT NULL,
	`period` text NOT NULL,
	`channel` text NOT NULL,
	`segment` text NOT NULL,
	`flagged` integer NOT NULL,
	`n` integer NOT NULL,
	`sums` blob NOT NULL,
	PRIMARY KEY(`survey_id`, `item_set`, `grain`, `period`, `channel`, `segment`, `flagged`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `response_quality` (
	`response_rowid` integer PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`customer_id` text,
	`submitted_at` integer NOT NULL,
	`duration_ms` integer,
	`fingerprint` text NOT NULL,
	`flags` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `response_quality_duration_idx` ON `response_quality` (`survey_id`,`duration_ms`);--> statement-breakpoint
CREATE INDEX `response_quality_customer_idx` ON `response_quality` (`customer_id`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `response_quality_fingerprint_idx` ON `response_quality` (`fingerprint`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `invitations_time_idx` ON `campaign_invitations` (`invited_at`);