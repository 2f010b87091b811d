import { Type, type Static } from '@sinclair/typebox';

/** One current registration binding of a SIP device (RFC 3261 §10.3). */
export const RegistrationBindingSchema = Type.Object({
  contact: Type.String({ description: 'The Contact URI the device registered.' }),
  expiresAt: Type.String({ format: 'date-time', description: 'When the binding lapses unless refreshed.' }),
  expiresInSeconds: Type.Integer({ minimum: 0 }),
  userAgent: Type.Optional(Type.String({ description: 'The User-Agent header of the last REGISTER.' })),
  source: Type.String({ description: 'Transport, address and port the REGISTER came from, e.g. udp:192.0.2.7:5060.' }),
});

export const DeviceViewSchema = Type.Object({
  name: Type.String(),
  type: Type.Union([Type.Literal('sip-phone'), Type.Literal('cti-route-point'), Type.Literal('cti-port')]),
  description: Type.Optional(Type.String()),
  lines: Type.Array(Type.String(), { description: 'Directory numbers in line-index order.' }),
  allowCtiControl: Type.Boolean(),
  extensionMobility: Type.Optional(
    Type.Object(
      {
        userId: Type.String(),
        profile: Type.String(),
        lines: Type.Array(Type.String(), {
          description: "The profile's directory numbers, which the phone has instead of its own while the login lasts.",
        }),
      },
      { description: 'The Extension Mobility login on this phone, when there is one.' },
    ),
  ),
  registration: Type.Object({
    state: Type.Union([Type.Literal('registered'), Type.Literal('unregistered')], {
      description: 'A phone: while it has a binding. A CTI route point or port: while an application has it open.',
    }),
    bindings: Type.Array(RegistrationBindingSchema),
  }),
});

export type RegistrationBinding = Static<typeof RegistrationBindingSchema>;
export type DeviceView = Static<typeof DeviceViewSchema>;

/** What the admin API reads device state from; the composition root adapts the registrar and the store to it. */
export interface DeviceDirectoryView {
  listDevices(): DeviceView[];
}
