-- The standard CUCM access control groups for CTI, each holding the role of the same name.
INSERT INTO "settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "access_control_groups" ("name", "built_in", "description") VALUES
  ('Standard CTI Enabled', true, 'Connect over CTI at all; required for every CTI user.'),
  ('Standard CTI Allow Control of All Devices', true, 'Control or monitor any CTI-controllable device (superprovider).'),
  ('Standard CTI Allow Control of Phones supporting Connected Xfer and conf', true, 'Control phones whose transfer and conference are connected.'),
  ('Standard CTI Allow Control of Phones supporting Rollover Mode', true, 'Control phones configured for line rollover.'),
  ('Standard CTI Allow Call Monitoring', true, 'Silently monitor or whisper on calls of controlled devices.'),
  ('Standard CTI Allow Call Recording', true, 'Start and stop recording on controlled devices.'),
  ('Standard CTI Allow Call Park Monitoring', true, 'Receive events for calls parked on every call-park number.'),
  ('Standard CTI Allow Calling Number Modification', true, 'Change the calling number when redirecting or routing.'),
  ('Standard CTI Allow Reception of SRTP Key Material', true, 'Receive SRTP keys over a secure CTI connection.'),
  ('Standard CTI Secure Connection', true, 'Must connect over TLS.')
ON CONFLICT ("name") DO NOTHING;
