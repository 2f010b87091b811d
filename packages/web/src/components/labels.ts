import type { DeviceType } from '../api/types';

/** Device types under the names CUCM gives them. */
export const deviceTypeLabels: Record<DeviceType, string> = {
  'sip-phone': 'SIP phone',
  'cti-route-point': 'CTI route point',
  'cti-port': 'CTI port',
};

export const deviceTypeOptions = (Object.keys(deviceTypeLabels) as DeviceType[]).map((value) => ({
  value,
  label: deviceTypeLabels[value],
}));
