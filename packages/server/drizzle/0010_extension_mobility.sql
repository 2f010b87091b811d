CREATE TABLE "application_user_cti_profiles" (
	"user_id" text NOT NULL,
	"profile_name" text NOT NULL,
	CONSTRAINT "application_user_cti_profiles_user_id_profile_name_pk" PRIMARY KEY("user_id","profile_name")
);
--> statement-breakpoint
CREATE TABLE "device_profile_lines" (
	"profile_name" text NOT NULL,
	"dn" text NOT NULL,
	"line_index" integer NOT NULL,
	CONSTRAINT "device_profile_lines_profile_name_line_index_pk" PRIMARY KEY("profile_name","line_index"),
	CONSTRAINT "device_profile_lines_profile_dn" UNIQUE("profile_name","dn"),
	CONSTRAINT "device_profile_lines_index" CHECK ("device_profile_lines"."line_index" >= 1)
);
--> statement-breakpoint
CREATE TABLE "device_profiles" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text,
	"allow_cti_control" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "end_user_cti_profiles" (
	"user_id" text NOT NULL,
	"profile_name" text NOT NULL,
	CONSTRAINT "end_user_cti_profiles_user_id_profile_name_pk" PRIMARY KEY("user_id","profile_name")
);
--> statement-breakpoint
CREATE TABLE "end_user_profiles" (
	"user_id" text NOT NULL,
	"profile_name" text NOT NULL,
	CONSTRAINT "end_user_profiles_user_id_profile_name_pk" PRIMARY KEY("user_id","profile_name")
);
--> statement-breakpoint
CREATE TABLE "extension_mobility_logins" (
	"device_name" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"profile_name" text NOT NULL,
	"logged_in_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "extension_mobility" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "end_users" ADD COLUMN "em_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "end_users" ADD COLUMN "em_default_profile" text;--> statement-breakpoint
ALTER TABLE "end_users" ADD COLUMN "em_allow_cti_control" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "em_max_login_minutes" integer;--> statement-breakpoint
ALTER TABLE "application_user_cti_profiles" ADD CONSTRAINT "application_user_cti_profiles_user_id_application_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."application_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "application_user_cti_profiles" ADD CONSTRAINT "application_user_cti_profiles_profile_name_device_profiles_name_fk" FOREIGN KEY ("profile_name") REFERENCES "public"."device_profiles"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "device_profile_lines" ADD CONSTRAINT "device_profile_lines_profile_name_device_profiles_name_fk" FOREIGN KEY ("profile_name") REFERENCES "public"."device_profiles"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "device_profile_lines" ADD CONSTRAINT "device_profile_lines_dn_lines_dn_fk" FOREIGN KEY ("dn") REFERENCES "public"."lines"("dn") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_cti_profiles" ADD CONSTRAINT "end_user_cti_profiles_user_id_end_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."end_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_cti_profiles" ADD CONSTRAINT "end_user_cti_profiles_profile_name_device_profiles_name_fk" FOREIGN KEY ("profile_name") REFERENCES "public"."device_profiles"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_profiles" ADD CONSTRAINT "end_user_profiles_user_id_end_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."end_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_user_profiles" ADD CONSTRAINT "end_user_profiles_profile_name_device_profiles_name_fk" FOREIGN KEY ("profile_name") REFERENCES "public"."device_profiles"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "extension_mobility_logins" ADD CONSTRAINT "extension_mobility_logins_device_name_devices_name_fk" FOREIGN KEY ("device_name") REFERENCES "public"."devices"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "extension_mobility_logins" ADD CONSTRAINT "extension_mobility_logins_user_id_end_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."end_users"("user_id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "extension_mobility_logins" ADD CONSTRAINT "extension_mobility_logins_profile_name_device_profiles_name_fk" FOREIGN KEY ("profile_name") REFERENCES "public"."device_profiles"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "end_users" ADD CONSTRAINT "end_users_em_default_profile_device_profiles_name_fk" FOREIGN KEY ("em_default_profile") REFERENCES "public"."device_profiles"("name") ON DELETE set null ON UPDATE cascade;