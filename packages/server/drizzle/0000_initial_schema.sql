CREATE TABLE "access_control_groups" (
	"name" text PRIMARY KEY NOT NULL,
	"built_in" boolean DEFAULT false NOT NULL,
	"description" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application_user_devices" (
	"user_id" text NOT NULL,
	"device_name" text NOT NULL,
	CONSTRAINT "application_user_devices_user_id_device_name_pk" PRIMARY KEY("user_id","device_name")
);
--> statement-breakpoint
CREATE TABLE "application_user_groups" (
	"user_id" text NOT NULL,
	"group_name" text NOT NULL,
	CONSTRAINT "application_user_groups_user_id_group_name_pk" PRIMARY KEY("user_id","group_name")
);
--> statement-breakpoint
CREATE TABLE "application_users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"password_hash" text
);
--> statement-breakpoint
CREATE TABLE "device_lines" (
	"device_name" text NOT NULL,
	"dn" text NOT NULL,
	"line_index" integer NOT NULL,
	CONSTRAINT "device_lines_device_name_line_index_pk" PRIMARY KEY("device_name","line_index"),
	CONSTRAINT "device_lines_device_dn" UNIQUE("device_name","dn"),
	CONSTRAINT "device_lines_index" CHECK ("device_lines"."line_index" >= 1)
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"name" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"description" text,
	"allow_cti_control" boolean DEFAULT true NOT NULL,
	"sip_username" text,
	"sip_ha1_realm" text,
	"sip_ha1_md5" text,
	"sip_ha1_sha256" text,
	CONSTRAINT "devices_sip_username_unique" UNIQUE("sip_username"),
	CONSTRAINT "devices_type" CHECK ("devices"."type" in ('sip-phone', 'cti-route-point', 'cti-port'))
);
--> statement-breakpoint
CREATE TABLE "end_user_devices" (
	"user_id" text NOT NULL,
	"device_name" text NOT NULL,
	CONSTRAINT "end_user_devices_user_id_device_name_pk" PRIMARY KEY("user_id","device_name")
);
--> statement-breakpoint
CREATE TABLE "end_user_groups" (
	"user_id" text NOT NULL,
	"group_name" text NOT NULL,
	CONSTRAINT "end_user_groups_user_id_group_name_pk" PRIMARY KEY("user_id","group_name")
);
--> statement-breakpoint
CREATE TABLE "end_users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"display_name" text,
	"password_hash" text,
	"pin_hash" text,
	"primary_extension" text
);
--> statement-breakpoint
CREATE TABLE "lines" (
	"dn" text PRIMARY KEY NOT NULL,
	"description" text,
	"allow_cti_control" boolean DEFAULT true NOT NULL,
	"forward" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"no_answer_seconds" integer DEFAULT 12 NOT NULL,
	"max_calls" integer DEFAULT 2 NOT NULL,
	"busy_trigger" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "lines_no_answer_seconds" CHECK ("lines"."no_answer_seconds" between 1 and 300),
	CONSTRAINT "lines_calls" CHECK ("lines"."busy_trigger" between 1 and "lines"."max_calls")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"sip_realm" text DEFAULT 'strowger' NOT NULL,
	"config_version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "settings_single_row" CHECK ("settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "application_user_devices" ADD CONSTRAINT "application_user_devices_user_id_application_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."application_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "application_user_devices" ADD CONSTRAINT "application_user_devices_device_name_devices_name_fk" FOREIGN KEY ("device_name") REFERENCES "public"."devices"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "application_user_groups" ADD CONSTRAINT "application_user_groups_user_id_application_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."application_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "application_user_groups" ADD CONSTRAINT "application_user_groups_group_name_access_control_groups_name_fk" FOREIGN KEY ("group_name") REFERENCES "public"."access_control_groups"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "device_lines" ADD CONSTRAINT "device_lines_device_name_devices_name_fk" FOREIGN KEY ("device_name") REFERENCES "public"."devices"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "device_lines" ADD CONSTRAINT "device_lines_dn_lines_dn_fk" FOREIGN KEY ("dn") REFERENCES "public"."lines"("dn") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_devices" ADD CONSTRAINT "end_user_devices_user_id_end_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."end_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_devices" ADD CONSTRAINT "end_user_devices_device_name_devices_name_fk" FOREIGN KEY ("device_name") REFERENCES "public"."devices"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_groups" ADD CONSTRAINT "end_user_groups_user_id_end_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."end_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_groups" ADD CONSTRAINT "end_user_groups_group_name_access_control_groups_name_fk" FOREIGN KEY ("group_name") REFERENCES "public"."access_control_groups"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_users" ADD CONSTRAINT "end_users_primary_extension_lines_dn_fk" FOREIGN KEY ("primary_extension") REFERENCES "public"."lines"("dn") ON DELETE set null ON UPDATE cascade;