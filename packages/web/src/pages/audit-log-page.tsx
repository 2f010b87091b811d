import { Alert, Badge, Code, Group, Pagination, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Fragment, useState } from 'react';
import { api, withQuery } from '../api/client';
import type { AuditEntry, Page } from '../api/types';
import { PageHeader } from '../components/page-header';
import { useLoad } from '../components/use-load';
import { changedFields } from './audit-diff';

const pageSize = 50;

/** Every change: who, when, what, and the object before and after. */
export function AuditLogPage() {
  const [actor, setActor] = useState('');
  const [resource, setResource] = useState('');
  const [key, setKey] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const [filters] = useDebouncedValue({ actor: actor.trim(), resource: resource.trim(), key: key.trim() }, 250);
  const entries = useLoad(
    (signal) =>
      api.get<Page<AuditEntry>>(
        withQuery('/api/v1/audit-log', { ...filters, offset: (page - 1) * pageSize, limit: pageSize }),
        signal,
      ),
    [filters.actor, filters.resource, filters.key, page],
  );
  const total = entries.value?.total ?? 0;
  const filter = (setter: (value: string) => void) => (event: React.ChangeEvent<HTMLInputElement>) => {
    setter(event.currentTarget.value);
    setPage(1);
  };
  return (
    <>
      <PageHeader
        title="Audit Log"
        description="Every change to the configuration and to admin accounts, newest first: over the API and this UI, from configuration files and from the command line. Open an entry to see what changed."
      />
      <Group align="flex-end" mb="sm">
        <TextInput label="Who" placeholder="admin" value={actor} onChange={filter(setActor)} />
        <TextInput label="What" placeholder="device, line, end-user…" value={resource} onChange={filter(setResource)} />
        <TextInput label="Name or number" value={key} onChange={filter(setKey)} />
        <Text size="sm" c="dimmed" ml="auto" aria-live="polite">
          {total} entries
        </Text>
      </Group>
      {entries.state === 'failed' ? (
        <Alert color="red" title="Could not load the audit log" mb="sm">
          {entries.error.message}
        </Alert>
      ) : null}
      <Table withTableBorder striped aria-label="Audit log">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Changed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(entries.value?.items ?? []).map((entry) => (
            <Fragment key={entry.id}>
              <Table.Tr
                data-clickable="true"
                tabIndex={0}
                aria-expanded={open === entry.id}
                onClick={() => setOpen(open === entry.id ? null : entry.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') setOpen(open === entry.id ? null : entry.id);
                }}
              >
                <Table.Td>{new Date(entry.at).toLocaleString()}</Table.Td>
                <Table.Td>{entry.actor}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={{ create: 'green', update: 'blue', delete: 'red' }[entry.action]}>
                    {entry.action}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {entry.resource} <b>{entry.key}</b>
                </Table.Td>
                <Table.Td>
                  {[...changedFields(entry.before, entry.after), ...(entry.note === null ? [] : [entry.note])].join(
                    ', ',
                  )}
                </Table.Td>
              </Table.Tr>
              {open === entry.id ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Group align="flex-start" grow>
                      <div>
                        <Text size="xs" fw={700}>
                          Before
                        </Text>
                        <Code block>{entry.before === null ? '(none)' : JSON.stringify(entry.before, null, 2)}</Code>
                      </div>
                      <div>
                        <Text size="xs" fw={700}>
                          After
                        </Text>
                        <Code block>{entry.after === null ? '(none)' : JSON.stringify(entry.after, null, 2)}</Code>
                      </div>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
      <Pagination mt="sm" total={Math.max(1, Math.ceil(total / pageSize))} value={page} onChange={setPage} size="sm" />
    </>
  );
}
