import { Type } from '@sinclair/typebox';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { DeviceName } from '../../store/index.js';
import { DeviceViewSchema, type DeviceDirectoryView } from '../device-view.js';
import { listPageSchema, listQueryProperties, pageOf } from '../config/listing.js';
import { problemResponses, type AdminApp } from './config-objects.js';

/** Ends a device's registrations now (the phone registers again when it next refreshes). */
export interface RegistrationControl {
  unregister(deviceName: string): void;
}

/** Live registration state of every configured device: what `strowger devices` shows. */
export function registerRegistrationRoutes(
  app: AdminApp,
  devices: DeviceDirectoryView,
  control: RegistrationControl | undefined,
): void {
  const tags = ['Live'];
  app.get(
    '/api/v1/registrations',
    {
      schema: {
        summary: 'Devices with their lines and live registration state',
        tags,
        querystring: Type.Object(
          {
            ...listQueryProperties(['name', 'type', 'state']),
            type: Type.Optional(
              Type.Union([Type.Literal('sip-phone'), Type.Literal('cti-route-point'), Type.Literal('cti-port')]),
            ),
            registered: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: listPageSchema(DeviceViewSchema, 'One page of devices with their registration'),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const list = devices
        .listDevices()
        .filter((device) => query.type === undefined || device.type === query.type)
        .filter(
          (device) =>
            query.registered === undefined || (device.registration.state === 'registered') === query.registered,
        );
      return pageOf(list, query, {
        text: (d) => `${d.name} ${d.description ?? ''} ${d.lines.join(' ')}`,
        fields: { name: (d) => d.name, type: (d) => d.type, state: (d) => d.registration.state },
      });
    },
  );

  const find = (name: string) => {
    const device = devices.listDevices().find((candidate) => candidate.name === name);
    if (device === undefined) {
      throw new StrowgerError(
        ErrorCode.NotFound,
        `no device named ${name}; GET /api/v1/registrations lists the configured devices`,
      );
    }
    return device;
  };
  const params = Type.Object({ name: DeviceName });

  app.get(
    '/api/v1/registrations/:name',
    {
      schema: {
        summary: 'One device with its lines and live registration state',
        tags,
        params,
        response: { 200: DeviceViewSchema, ...problemResponses },
      },
    },
    async (request) => find(request.params.name),
  );

  if (control === undefined) return;
  app.delete(
    '/api/v1/registrations/:name',
    {
      schema: {
        summary: 'Unregister a device now: its bindings are removed (the phone registers again at its next refresh)',
        tags,
        params,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const device = find(request.params.name);
      if (device.registration.state !== 'registered') {
        throw new StrowgerError(ErrorCode.InvalidState, `${device.name} is not registered`);
      }
      control.unregister(device.name);
      return reply.status(204).send(null);
    },
  );
}
