import { Alert, Anchor, Badge, Group, Pagination, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../api/client';
import type { CallRecord } from '../api/types';
import { PageHeader } from '../components/page-header';
import { useLoad } from '../components/use-load';
import { filterCallRecords, localInputToIso } from './call-record-filter';

const pageSize = 50;

const causes = [
  'normal',
  'busy',
  'no-answer',
  'unallocated',
  'unavailable',
  'cancelled',
  'answered-elsewhere',
  'forwarded',
  'rejected',
  'congestion',
  'transferred',
  'conferenced',
];

/** Finished calls (CUCM's CDR Analysis and Reporting, in short): search by time, number and cause; export CSV. */
export function CallRecordsPage() {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [number, setNumber] = useState('');
  const [cause, setCause] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [debouncedNumber] = useDebouncedValue(number.trim(), 200);
  const range = { since: localInputToIso(since), until: localInputToIso(until) };
  const records = useLoad(
    (signal) =>
      api.get<{ callRecords: CallRecord[] }>(withQuery('/api/v1/call-records', { ...range, limit: 10_000 }), signal),
    [range.since, range.until],
  );
  const shown = filterCallRecords(records.value?.callRecords ?? [], { number: debouncedNumber, cause }).reverse();
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const current = Math.min(page, pages);
  const csv = withQuery('/api/v1/call-records', { ...range, format: 'csv', limit: 100_000 });
  return (
    <>
      <PageHeader
        title="Call Records"
        description="Finished calls, newest first. The time range is searched on the server; number and cause narrow what it found."
        actions={
          <Anchor href={csv} download="call-records.csv">
            Export CSV
          </Anchor>
        }
      />
      <Group align="flex-end" mb="sm">
        <TextInput
          type="datetime-local"
          label="Ended from"
          value={since}
          onChange={(e) => setSince(e.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label="Ended before"
          value={until}
          onChange={(e) => setUntil(e.currentTarget.value)}
        />
        <TextInput
          label="Number"
          placeholder="Calling, dialled or called"
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
        />
        <Select label="Cause" placeholder="Any" data={causes} value={cause} onChange={setCause} clearable w={190} />
        <Text size="sm" c="dimmed" ml="auto" aria-live="polite">
          {shown.length} of {records.value?.callRecords.length ?? 0} records
        </Text>
      </Group>
      {records.state === 'failed' ? (
        <Alert color="red" title="Could not load the call records" mb="sm">
          {records.error.message}
        </Alert>
      ) : null}
      <Table withTableBorder striped aria-label="Call records">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Calling</Table.Th>
            <Table.Th>Dialled</Table.Th>
            <Table.Th>Final called</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Cause</Table.Th>
            <Table.Th>Released by</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.slice((current - 1) * pageSize, current * pageSize).map((record) => (
            <Table.Tr key={`${record.callId} ${record.endedAt} ${record.finalCalledNumber}`}>
              <Table.Td>{new Date(record.startedAt).toLocaleString()}</Table.Td>
              <Table.Td>
                {record.callingNumber}
                {record.callingDevice === undefined ? '' : ` (${record.callingDevice})`}
              </Table.Td>
              <Table.Td>{record.dialledNumber}</Table.Td>
              <Table.Td>
                {record.finalCalledNumber}
                {record.calledDevice === undefined ? '' : ` (${record.calledDevice})`}
              </Table.Td>
              <Table.Td>{duration(record)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={record.cause.reason === 'normal' ? 'gray' : 'orange'}>
                  {record.cause.reason}
                </Badge>{' '}
                <Text span size="xs" c="dimmed">
                  Q.850 {record.cause.q850}, SIP {record.cause.sipStatus}
                </Text>
              </Table.Td>
              <Table.Td>{record.releasedBy}</Table.Td>
              <Table.Td>
                <Link to={`/call-trace?callId=${encodeURIComponent(record.callId)}`}>Trace</Link>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pagination mt="sm" total={pages} value={current} onChange={setPage} size="sm" aria-label="Pages" />
    </>
  );
}

function duration(record: CallRecord): string {
  if (record.answeredAt === undefined) return 'not answered';
  const seconds = Math.round((new Date(record.endedAt).getTime() - new Date(record.answeredAt).getTime()) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
