ALTER TABLE "settings" ADD COLUMN "call_park_range" text;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "call_park_reversion_seconds" integer DEFAULT 60 NOT NULL;