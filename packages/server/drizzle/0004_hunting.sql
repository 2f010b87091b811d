CREATE TABLE "hunt_list_groups" (
	"hunt_list" text NOT NULL,
	"line_group" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "hunt_list_groups_hunt_list_position_pk" PRIMARY KEY("hunt_list","position"),
	CONSTRAINT "hunt_list_groups_group" UNIQUE("hunt_list","line_group")
);
--> statement-breakpoint
CREATE TABLE "hunt_lists" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "hunt_pilots" (
	"pattern" text PRIMARY KEY NOT NULL,
	"description" text,
	"hunt_list" text NOT NULL,
	"max_hunt_seconds" integer DEFAULT 1800 NOT NULL,
	"forward_no_answer" jsonb,
	"forward_busy" jsonb,
	CONSTRAINT "hunt_pilots_max_hunt" CHECK ("hunt_pilots"."max_hunt_seconds" between 1 and 3600)
);
--> statement-breakpoint
CREATE TABLE "line_group_members" (
	"line_group" text NOT NULL,
	"dn" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "line_group_members_line_group_position_pk" PRIMARY KEY("line_group","position"),
	CONSTRAINT "line_group_members_dn" UNIQUE("line_group","dn")
);
--> statement-breakpoint
CREATE TABLE "line_groups" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text,
	"algorithm" text DEFAULT 'longest-idle' NOT NULL,
	"rna_timeout_seconds" integer DEFAULT 10 NOT NULL,
	"hunt_no_answer" text DEFAULT 'try-next-member-then-group' NOT NULL,
	"hunt_busy" text DEFAULT 'try-next-member-then-group' NOT NULL,
	"hunt_not_available" text DEFAULT 'try-next-member-then-group' NOT NULL,
	CONSTRAINT "line_groups_algorithm" CHECK ("line_groups"."algorithm" in ('top-down', 'circular', 'longest-idle', 'broadcast')),
	CONSTRAINT "line_groups_rna_timeout" CHECK ("line_groups"."rna_timeout_seconds" between 1 and 300),
	CONSTRAINT "line_groups_hunt_options" CHECK ("line_groups"."hunt_no_answer" in ('try-next-member-then-group', 'try-next-member', 'skip-to-next-group', 'stop') and "line_groups"."hunt_busy" in ('try-next-member-then-group', 'try-next-member', 'skip-to-next-group', 'stop') and "line_groups"."hunt_not_available" in ('try-next-member-then-group', 'try-next-member', 'skip-to-next-group', 'stop'))
);
--> statement-breakpoint
ALTER TABLE "hunt_list_groups" ADD CONSTRAINT "hunt_list_groups_hunt_list_hunt_lists_name_fk" FOREIGN KEY ("hunt_list") REFERENCES "public"."hunt_lists"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "hunt_list_groups" ADD CONSTRAINT "hunt_list_groups_line_group_line_groups_name_fk" FOREIGN KEY ("line_group") REFERENCES "public"."line_groups"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "hunt_pilots" ADD CONSTRAINT "hunt_pilots_hunt_list_hunt_lists_name_fk" FOREIGN KEY ("hunt_list") REFERENCES "public"."hunt_lists"("name") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "line_group_members" ADD CONSTRAINT "line_group_members_line_group_line_groups_name_fk" FOREIGN KEY ("line_group") REFERENCES "public"."line_groups"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "line_group_members" ADD CONSTRAINT "line_group_members_dn_lines_dn_fk" FOREIGN KEY ("dn") REFERENCES "public"."lines"("dn") ON DELETE cascade ON UPDATE cascade;