ALTER TABLE `invitations` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `users` ADD `locale` text;