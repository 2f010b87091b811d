CREATE TABLE "voicemail_profiles" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text,
	"pilot" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lines" ADD COLUMN "voicemail_profile" text;