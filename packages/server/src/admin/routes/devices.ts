import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { StrowgerError, ErrorCode } from '../../core/index.js';
import { DeviceViewSchema, type DeviceDirectoryView } from '../device-view.js';

export function registerDeviceRoutes(app: FastifyInstance, devices: DeviceDirectoryView): void {
  app.get(
    '/api/v1/devices',
    {
      schema: {
        summary: 'Devices with their lines and registration state',
        querystring: Type.Object({
          type: Type.Optional(
            Type.Union([Type.Literal('sip-phone'), Type.Literal('cti-route-point'), Type.Literal('cti-port')]),
          ),
          registered: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Type.Object({ devices: Type.Array(DeviceViewSchema) }) },
      },
    },
    async (request) => {
      const query = request.query as { type?: string; registered?: boolean };
      const list = devices
        .listDevices()
        .filter((device) => query.type === undefined || device.type === query.type)
        .filter(
          (device) =>
            query.registered === undefined || (device.registration.state === 'registered') === query.registered,
        );
      return { devices: list };
    },
  );

  app.get(
    '/api/v1/devices/:name',
    {
      schema: {
        summary: 'One device with its lines and registration state',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }) }),
        response: { 200: DeviceViewSchema },
      },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      const device = devices.listDevices().find((candidate) => candidate.name === name);
      if (device === undefined) {
        throw new StrowgerError(
          ErrorCode.NotFound,
          `no device named ${name}; GET /api/v1/devices lists the configured devices`,
        );
      }
      return device;
    },
  );
}
