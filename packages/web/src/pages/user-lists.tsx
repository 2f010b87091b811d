import { Badge, Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { AccessControlGroup, ApplicationUser, EndUser } from '../api/types';
import { PageHeader } from '../components/page-header';
import { PagedList } from '../components/paged-list';
import { useLoad } from '../components/use-load';

function useGroupNames(): string[] {
  const groups = useLoad(
    (signal) => api.get<{ items: AccessControlGroup[] }>('/api/v1/access-control-groups', signal),
    [],
  );
  return (groups.value?.items ?? []).map((group) => group.name);
}

function GroupFilter(props: { value: string | null; onChange: (value: string | null) => void }) {
  const names = useGroupNames();
  return (
    <Select
      label="In group"
      placeholder="Any"
      data={names}
      value={props.value}
      onChange={props.onChange}
      clearable
      searchable
      w={300}
    />
  );
}

const groupBadges = (groups: string[] | undefined) => (
  <Group gap={4}>
    {(groups ?? []).map((group) => (
      <Badge key={group} size="sm" variant="light">
        {group}
      </Badge>
    ))}
  </Group>
);

export function ApplicationUsersPage() {
  const navigate = useNavigate();
  const [group, setGroup] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="Application Users"
        description="Server-side CTI integrations (IVR, recorders, CRM connectors) and the devices they control."
        actions={<Button onClick={() => navigate('/application-users/new')}>Add application user</Button>}
      />
      <PagedList<ApplicationUser>
        path="/api/v1/application-users"
        searchLabel="Find application users by user id"
        query={{ group: group ?? undefined }}
        filters={<GroupFilter value={group} onChange={setGroup} />}
        keyOf={(u) => u.userId}
        onOpen={(u) => navigate(`/application-users/${encodeURIComponent(u.userId)}`)}
        columns={[
          { header: 'User ID', sort: 'userId', cell: (u) => u.userId },
          { header: 'Controlled devices', cell: (u) => (u.devices ?? []).length },
          { header: 'Groups', cell: (u) => groupBadges(u.groups) },
        ]}
      />
    </>
  );
}

export function EndUsersPage() {
  const navigate = useNavigate();
  const [group, setGroup] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="End Users"
        description="People: their phones, primary extension, PIN (Extension Mobility) and CTI groups for desktop clients."
        actions={<Button onClick={() => navigate('/end-users/new')}>Add end user</Button>}
      />
      <PagedList<EndUser>
        path="/api/v1/end-users"
        searchLabel="Find end users by user id or name"
        query={{ group: group ?? undefined }}
        filters={<GroupFilter value={group} onChange={setGroup} />}
        keyOf={(u) => u.userId}
        onOpen={(u) => navigate(`/end-users/${encodeURIComponent(u.userId)}`)}
        columns={[
          { header: 'User ID', sort: 'userId', cell: (u) => u.userId },
          { header: 'Name', cell: (u) => u.displayName ?? '' },
          { header: 'Primary extension', cell: (u) => u.primaryExtension ?? '' },
          { header: 'Controlled devices', cell: (u) => (u.devices ?? []).join(', ') },
          { header: 'Groups', cell: (u) => groupBadges(u.groups) },
        ]}
      />
    </>
  );
}

/** The standard CTI access control groups with the roles they grant and their members (read-only). */
export function AccessControlGroupsPage() {
  const groups = useLoad(
    (signal) => api.get<{ items: AccessControlGroup[] }>('/api/v1/access-control-groups', signal),
    [],
  );
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shown = (groups.value?.items ?? []).filter(
    (group) =>
      needle === '' ||
      [group.name, group.description, ...group.applicationUsers, ...group.endUsers].some((text) =>
        text.toLowerCase().includes(needle),
      ),
  );
  return (
    <>
      <PageHeader
        title="Access Control Groups"
        description="The standard CTI groups, each granting the role of its name. A user joins a group on its own page (Permissions Information)."
      />
      <TextInput
        label="Find groups by name, description or member"
        placeholder="Type to search"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={320}
        mb="sm"
      />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>What it allows</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Application users</Table.Th>
            <Table.Th>End users</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((group) => (
            <Table.Tr key={group.name}>
              <Table.Td>
                <Text fw={500} size="sm">
                  {group.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{group.description}</Text>
              </Table.Td>
              <Table.Td>{group.roles.join(', ')}</Table.Td>
              <Table.Td>
                {group.applicationUsers.map((userId, index) => (
                  <span key={userId}>
                    {index > 0 ? ', ' : ''}
                    <Link to={`/application-users/${encodeURIComponent(userId)}`}>{userId}</Link>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>
                {group.endUsers.map((userId, index) => (
                  <span key={userId}>
                    {index > 0 ? ', ' : ''}
                    <Link to={`/end-users/${encodeURIComponent(userId)}`}>{userId}</Link>
                  </span>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
