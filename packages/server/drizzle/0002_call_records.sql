CREATE TABLE "call_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"calling_number" text NOT NULL,
	"calling_device" text,
	"dialled_number" text NOT NULL,
	"original_called_number" text NOT NULL,
	"final_called_number" text NOT NULL,
	"called_device" text,
	"started_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone NOT NULL,
	"cause_reason" text NOT NULL,
	"cause_q850" integer NOT NULL,
	"cause_sip_status" integer NOT NULL,
	"released_by" text NOT NULL,
	"redirections" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "call_records_ended_at" ON "call_records" USING btree ("ended_at");