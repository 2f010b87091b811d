import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { CallView } from '../api/types';
import { deviceTypeLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { useLive } from '../live/live-provider';

/** Active calls, registrations and connected CTI applications, as they change. */
export function LivePage() {
  const live = useLive();
  const registered = [...live.devices.values()].filter((d) => d.registration.state === 'registered');
  return (
    <>
      <PageHeader
        title="Live"
        description="What the server is doing now. Updates arrive as they happen; nothing here needs a reload."
      />
      <Stack gap="xl">
        <section aria-labelledby="calls-heading">
          <Title id="calls-heading" order={3} size="h4" mb="xs">
            Active calls ({live.calls.length})
          </Title>
          <CallsTable calls={live.calls} />
        </section>
        <section aria-labelledby="registrations-heading">
          <Title id="registrations-heading" order={3} size="h4" mb="xs">
            Registrations ({registered.length} of {live.devices.size} devices)
          </Title>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Lines</Table.Th>
                <Table.Th>Contact</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>User agent</Table.Th>
                <Table.Th>Expires</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {registered.map((device) =>
                device.registration.bindings.map((binding) => (
                  <Table.Tr key={`${device.name} ${binding.contact}`}>
                    <Table.Td>
                      <Link to={`/devices/${encodeURIComponent(device.name)}`}>{device.name}</Link>
                    </Table.Td>
                    <Table.Td>{deviceTypeLabels[device.type]}</Table.Td>
                    <Table.Td>{device.lines.join(', ')}</Table.Td>
                    <Table.Td>{binding.contact}</Table.Td>
                    <Table.Td>{binding.source}</Table.Td>
                    <Table.Td>{binding.userAgent ?? ''}</Table.Td>
                    <Table.Td>{new Date(binding.expiresAt).toLocaleTimeString()}</Table.Td>
                  </Table.Tr>
                )),
              )}
            </Table.Tbody>
          </Table>
          {registered.length === 0 ? (
            <Text size="sm" c="dimmed" mt="xs">
              No device is registered.
            </Text>
          ) : null}
        </section>
        <section aria-labelledby="cti-heading">
          <Title id="cti-heading" order={3} size="h4" mb="xs">
            Connected CTI applications ({live.ctiSessions.providers} providers, {live.ctiSessions.sessions} sessions)
          </Title>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Application</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>Opened</Table.Th>
                <Table.Th>Domain</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {live.ctiSessions.items.map((p) => (
                <Table.Tr key={p.providerId}>
                  <Table.Td>
                    {p.userId}{' '}
                    <Text span size="xs" c="dimmed">
                      ({p.userKind})
                    </Text>
                  </Table.Td>
                  <Table.Td>{p.appInfo ?? '—'}</Table.Td>
                  <Table.Td>{p.source}</Table.Td>
                  <Table.Td>{new Date(p.openedAt).toLocaleString()}</Table.Td>
                  <Table.Td>
                    {p.terminals} devices ({p.restrictedTerminals} restricted), {p.addresses} lines (
                    {p.restrictedAddresses} restricted)
                  </Table.Td>
                  <Table.Td>
                    <Badge color={p.connected ? 'green' : 'yellow'} variant="light">
                      {p.connected ? 'connected' : 'waiting to resume'}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {live.ctiSessions.items.length === 0 ? (
            <Text size="sm" c="dimmed" mt="xs">
              No CTI application is connected.
            </Text>
          ) : null}
        </section>
      </Stack>
    </>
  );
}

function since(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function CallsTable(props: { calls: CallView[] }) {
  if (props.calls.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No call in progress.
      </Text>
    );
  }
  return (
    <Table withTableBorder striped aria-label="Active calls">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Call</Table.Th>
          <Table.Th>Dialled</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th>Parties (connection state, terminal state)</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.calls.map((call) => (
          <Table.Tr key={call.id} data-testid={`call-${call.id}`}>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {call.id}
              </Text>
              <Badge size="xs" variant="light" color={call.answeredAt === undefined ? 'yellow' : 'green'}>
                {call.answeredAt === undefined ? 'setting up' : 'answered'}
              </Badge>
            </Table.Td>
            <Table.Td>{call.dialled}</Table.Td>
            <Table.Td>{since(call.startedAt)} ago</Table.Td>
            <Table.Td>
              <Stack gap={2}>
                {call.connections.map((connection) => (
                  <Text size="sm" key={connection.id}>
                    {connection.role === 'originating' ? 'from' : 'to'} <b>{connection.address}</b> {connection.state}
                    {connection.terminalConnections.map((tc) => ` · ${tc.terminal} ${tc.state}`).join('')}
                  </Text>
                ))}
              </Stack>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Button
                  component={Link}
                  to={`/call-trace?callId=${encodeURIComponent(call.id)}`}
                  size="xs"
                  variant="light"
                >
                  Trace
                </Button>
                <Button
                  size="xs"
                  color="red"
                  variant="light"
                  onClick={async () => {
                    if (window.confirm(`Hang up call ${call.id} for every party?`)) {
                      await api
                        .send('DELETE', `/api/v1/calls/${encodeURIComponent(call.id)}`)
                        .catch((error: unknown) => window.alert(String((error as Error).message)));
                    }
                  }}
                >
                  Hang up
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
