ALTER TABLE "settings" ADD COLUMN "em_login_code" text;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "em_logout_code" text;