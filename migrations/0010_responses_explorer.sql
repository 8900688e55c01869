-- The responses explorer's index (server/responses/explorer-index.ts keeps it; these tables are written in
-- SQL here because drizzle has no WITHOUT ROWID or FTS5 tables). Existing responses are indexed by the
-- background processor, which starts from the first response: nothing is copied here. A row holds only what
-- a filter reads on every row (campaign and customer filters go through the responses table's own indexes),
-- so a survey's 200,000 rows are a few megabytes read in order.
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
	`flags` integer NOT NULL,
	`codes` text NOT NULL,
	PRIMARY KEY (`survey_number`, `submitted_at`, `response_rowid`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE VIRTUAL TABLE `response_search` USING fts5(`body`, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
