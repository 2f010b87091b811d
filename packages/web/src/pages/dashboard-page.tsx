import { AreaChart, LineChart } from '@mantine/charts';
import { Alert, Card, SimpleGrid, Text, Title } from '@mantine/core';
import { api } from '../api/client';
import type { CallStatistics, ServerStatus } from '../api/types';
import { PageHeader } from '../components/page-header';
import { useLoad } from '../components/use-load';
import { usePolling } from '../components/use-polling';
import { useLive } from '../live/live-provider';

function Figure(props: { label: string; value: string | number; hint?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {props.label}
      </Text>
      <Text size="xl" fw={700} data-testid={`figure-${props.label}`}>
        {props.value}
      </Text>
      {props.hint === undefined ? null : (
        <Text size="xs" c="dimmed">
          {props.hint}
        </Text>
      )}
    </Card>
  );
}

const timeOfDay = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Calls per second and concurrent calls over the last hour, and what is registered and connected now. */
export function DashboardPage() {
  const tick = usePolling(10_000);
  const live = useLive();
  const stats = useLoad((signal) => api.get<CallStatistics>('/api/v1/stats/calls', signal), [tick]);
  const status = useLoad((signal) => api.get<ServerStatus>('/api/v1/status', signal), [tick]);
  const series = (stats.value?.items ?? []).map((point) => ({
    time: timeOfDay(point.at),
    'Calls per second': point.callsPerSecond,
    'Concurrent calls': point.concurrentCalls,
    'Failed calls': point.failedCalls,
  }));
  const devices = [...live.devices.values()];
  const registered = devices.filter((d) => d.registration.state === 'registered').length;
  const failedLastHour = (stats.value?.items ?? []).reduce((sum, point) => sum + point.failedCalls, 0);
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={
          status.value === undefined
            ? undefined
            : `Strowger ${status.value.version}, up ${Math.floor(status.value.uptimeSeconds / 60)} min; SIP ${status.value.listening.sip}, CTI ${status.value.listening.cti}.`
        }
      />
      {stats.state === 'failed' ? (
        <Alert color="red" mb="md" title="Could not load the call statistics">
          {stats.error.message}
        </Alert>
      ) : null}
      <SimpleGrid cols={5} mb="lg">
        <Figure label="Calls now" value={live.calls.length} />
        <Figure label="Registered devices" value={`${registered} / ${devices.length}`} />
        <Figure
          label="CTI sessions"
          value={live.ctiSessions.sessions}
          hint={`${live.ctiSessions.providers} providers open`}
        />
        <Figure label="Directory numbers" value={status.value?.counts.lines ?? '…'} />
        <Figure
          label="Failed calls (1 h)"
          value={failedLastHour}
          hint="unallocated, unavailable, rejected, congestion"
        />
      </SimpleGrid>
      <SimpleGrid cols={2}>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            Calls per second (last hour, 10-second intervals)
          </Title>
          <AreaChart
            h={220}
            data={series}
            dataKey="time"
            series={[{ name: 'Calls per second', color: 'blue.6' }]}
            withDots={false}
            curveType="linear"
            tickLine="y"
          />
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            Concurrent calls and failures
          </Title>
          <LineChart
            h={220}
            data={series}
            dataKey="time"
            series={[
              { name: 'Concurrent calls', color: 'teal.6' },
              { name: 'Failed calls', color: 'red.6' },
            ]}
            withDots={false}
            curveType="stepAfter"
            tickLine="y"
          />
        </Card>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="sm">
        The series is kept in the server's memory and starts empty at every start; /metrics serves the same counts to
        Prometheus for longer history.
      </Text>
    </>
  );
}
