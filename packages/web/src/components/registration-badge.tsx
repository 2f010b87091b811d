import { Badge, Tooltip } from '@mantine/core';
import type { DeviceView } from '../api/types';

/** A device's registration state as the live stream last told it. */
export function RegistrationBadge(props: { device: DeviceView | undefined; name: string }) {
  const registered = props.device?.registration.state === 'registered';
  const binding = props.device?.registration.bindings[0];
  const badge = (
    <Badge
      color={registered ? 'green' : 'gray'}
      variant={registered ? 'filled' : 'light'}
      data-testid={`registration-${props.name}`}
      data-state={registered ? 'registered' : 'unregistered'}
    >
      {registered ? 'Registered' : 'Unregistered'}
    </Badge>
  );
  if (binding === undefined) return badge;
  return (
    <Tooltip
      label={`${binding.source} · ${binding.userAgent ?? 'no User-Agent'} · expires in ${binding.expiresInSeconds} s`}
    >
      {badge}
    </Tooltip>
  );
}
