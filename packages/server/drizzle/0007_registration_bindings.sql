CREATE TABLE "registration_bindings" (
	"device_name" text NOT NULL,
	"contact" text NOT NULL,
	"call_id" text NOT NULL,
	"cseq" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"user_agent" text,
	"source_protocol" text NOT NULL,
	"source_address" text NOT NULL,
	"source_port" integer NOT NULL,
	"q" double precision,
	CONSTRAINT "registration_bindings_device_name_contact_pk" PRIMARY KEY("device_name","contact")
);
--> statement-breakpoint
CREATE INDEX "registration_bindings_expires_at" ON "registration_bindings" USING btree ("expires_at");