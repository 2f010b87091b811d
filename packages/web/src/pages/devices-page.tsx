import { Badge, Button, Select } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Device } from '../api/types';
import { deviceTypeLabels, deviceTypeOptions } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { PagedList } from '../components/paged-list';
import { RegistrationBadge } from '../components/registration-badge';
import { useLive } from '../live/live-provider';

/** Phones, CTI route points and CTI ports, with each one's registration state updating live. */
export function DevicesPage() {
  const navigate = useNavigate();
  const live = useLive();
  const [type, setType] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="Devices"
        description="SIP phones register themselves; a CTI route point or CTI port is in service while an application has it open. The Status column follows the server live."
        actions={<Button onClick={() => navigate('/devices/new')}>Add device</Button>}
      />
      <PagedList<Device>
        path="/api/v1/devices"
        searchLabel="Find devices by name or description"
        query={{ type: type ?? undefined }}
        keyOf={(device) => device.name}
        onOpen={(device) => navigate(`/devices/${encodeURIComponent(device.name)}`)}
        filters={
          <Select
            label="Device type"
            placeholder="Any"
            data={deviceTypeOptions}
            value={type}
            onChange={setType}
            clearable
            w={180}
          />
        }
        columns={[
          { header: 'Device name', sort: 'name', cell: (d) => d.name },
          { header: 'Type', sort: 'type', cell: (d) => deviceTypeLabels[d.type] },
          { header: 'Description', cell: (d) => d.description ?? '' },
          { header: 'Lines', cell: (d) => (d.lines ?? []).join(', ') },
          {
            header: 'CTI control',
            cell: (d) =>
              d.allowCtiControl === false ? (
                <Badge color="orange" variant="light">
                  off
                </Badge>
              ) : (
                'allowed'
              ),
          },
          { header: 'Status', cell: (d) => <RegistrationBadge name={d.name} device={live.devices.get(d.name)} /> },
        ]}
      />
    </>
  );
}
