-- The responses explorer's index (server/responses/explorer-index.ts keeps it; these tables are written in
-- SQL here because drizzle has no WITHOUT ROWID or FTS5 tables). Existing responses are indexed by the
-- background processor, which starts from the first response: nothing is copied here.
CREATE TABLE `explorer_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `explorer_surveys` (
	`survey_id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL UNIQUE,
	`slots` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `response_facts` (
	`survey_number` integer NOT NULL,
	`submitted_at` integer NOT NULL,
	`response_rowid` integer NOT NULL,
	`channel` text NOT NULL,
	`segment` text,
	`campaign_id` text,
	`customer_id` text,
	`flags` integer NOT NULL,
	`codes` text NOT NULL,
	PRIMARY KEY (`survey_number`, `submitted_at`, `response_rowid`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `response_facts_campaign_idx` ON `response_facts` (`campaign_id`, `survey_number`);
--> statement-breakpoint
CREATE INDEX `response_facts_customer_idx` ON `response_facts` (`customer_id`, `survey_number`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `response_search` USING fts5(`body`, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
