import { Type, type Static } from '@sinclair/typebox';
import { actorOf } from '../auth/principal.js';
import { problemResponses, type AdminApp } from './config-objects.js';

const UserId = Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,64}$', description: 'The end user logging in.' });
const DeviceName = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,50}$', description: 'The phone.' });
const ProfileName = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,50}$' });

export const MobilityLoginViewSchema = Type.Object({
  device: DeviceName,
  userId: UserId,
  profile: ProfileName,
  loggedInAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Optional(
    Type.String({ format: 'date-time', description: 'When the maximum login time ends the login.' }),
  ),
});
export type MobilityLoginView = Static<typeof MobilityLoginViewSchema>;

const LoginBody = Type.Object(
  {
    user: UserId,
    device: DeviceName,
    profile: Type.Optional({ ...ProfileName, description: "The profile; the user's default when absent." }),
    pin: Type.Optional(
      Type.String({
        pattern: '^[0-9]{4,20}$',
        description: "The user's PIN; checked when given, and five wrong ones lock the user out for a while.",
      }),
    ),
  },
  { additionalProperties: false },
);
const LogoutBody = Type.Object({ device: DeviceName }, { additionalProperties: false });

/** Who asked, for the audit log: the admin account (or the command line on the server's machine). */
export interface MobilityRequester {
  readonly actor: string;
  readonly via: 'admin-api' | 'command-line';
}

/** What the routes need: the server's Extension Mobility service. */
export interface MobilityControl {
  logins(): MobilityLoginView[];
  login(input: {
    userId: string;
    device: string;
    profile?: string;
    pin?: string;
    source: string;
    by: MobilityRequester;
  }): Promise<MobilityLoginView>;
  logout(device: string, by: MobilityRequester): MobilityLoginView;
}

/** The command line is a client of this API with the local credential; everyone else is an API client. */
function requesterOf(principal: Parameters<typeof actorOf>[0]): MobilityRequester {
  return { actor: actorOf(principal), via: principal?.via === 'local' ? 'command-line' : 'admin-api' };
}

/** Extension Mobility from the admin API: list the logins in force, log a user in on a phone, log a phone out. */
export function registerExtensionMobilityRoutes(app: AdminApp, control: MobilityControl): void {
  const tags = ['Extension Mobility'];
  app.get(
    '/api/v1/extension-mobility',
    {
      schema: {
        summary: 'Extension Mobility logins in force, by device',
        tags,
        response: { 200: Type.Object({ logins: Type.Array(MobilityLoginViewSchema) }), ...problemResponses },
      },
    },
    async () => ({ logins: control.logins() }),
  );

  app.post(
    '/api/v1/extension-mobility/login',
    {
      schema: {
        summary:
          "Log an end user in on a phone with their default or a named device profile; the phone takes the profile's lines",
        tags,
        body: LoginBody,
        response: { 200: MobilityLoginViewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const body = request.body;
      return control.login({
        userId: body.user,
        device: body.device,
        ...(body.profile === undefined ? {} : { profile: body.profile }),
        ...(body.pin === undefined ? {} : { pin: body.pin }),
        source: request.ip,
        by: requesterOf(request.principal),
      });
    },
  );

  app.post(
    '/api/v1/extension-mobility/logout',
    {
      schema: {
        summary: 'Log a phone out: it gets its own lines back',
        tags,
        body: LogoutBody,
        response: { 200: MobilityLoginViewSchema, ...problemResponses },
      },
    },
    async (request) => control.logout(request.body.device, requesterOf(request.principal)),
  );
}
