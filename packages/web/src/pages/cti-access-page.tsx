import {
  Accordion,
  Alert,
  Badge,
  Card,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useSearchParams } from 'react-router';
import { api, withQuery } from '../api/client';
import type {
  AccessExplanation,
  AccessRule,
  ApplicationUser,
  Device,
  EndUser,
  Line,
  SettingAssessment,
  UserAccessReport,
} from '../api/types';
import { ctiPermissionHelp, routePointVsPort } from '../components/help';
import { deviceTypeLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { useLoad } from '../components/use-load';
import { useOptions } from '../components/use-options';

const settingLabels: Record<AccessRule['setting'], string> = {
  'access-control-group': 'Access control group',
  'controlled-device': 'Controlled device',
  'device-cti-flag': 'Device: Allow Control of Device from CTI',
  'line-cti-flag': 'Line: Allow Control from CTI',
  'extension-mobility-flag': 'Extension Mobility: Allow Control of Device from CTI',
};

const effectColors: Record<AccessRule['effect'], string> = {
  grants: 'green',
  blocks: 'red',
  required: 'blue',
  'no-effect': 'gray',
};

const statusColors: Record<SettingAssessment['status'], string> = {
  needed: 'green',
  unneeded: 'gray',
  blocking: 'red',
  feature: 'blue',
};

type Target = 'device' | 'line' | 'user';

/**
 * CTI access: for one user and one device or line, may its applications observe and control it,
 * and every rule that decided — including the settings that made no difference; for the user
 * alone, which of its CTI settings are needed and which could go. The choice lives in the address,
 * so a link (from an application user's page) opens the answer.
 */
export function CtiAccessPage() {
  const [params, setParams] = useSearchParams();
  const user = params.get('user') ?? '';
  const kind = params.get('kind') ?? '';
  const device = params.get('device') ?? '';
  const line = params.get('line') ?? '';
  const target: Target =
    device !== '' ? 'device' : line !== '' ? 'line' : ((params.get('target') as Target | null) ?? 'device');

  const applicationUsers = useOptions<ApplicationUser>('application-users', (u) => ({
    value: `application-user:${u.userId}`,
    label: `${u.userId} (application user)`,
  }));
  const endUsers = useOptions<EndUser>('end-users', (u) => ({
    value: `end-user:${u.userId}`,
    label: `${u.userId}${u.displayName === undefined ? '' : ` — ${u.displayName}`} (end user)`,
  }));
  const devices = useOptions<Device>('devices', (d) => ({
    value: d.name,
    label: `${d.name} (${deviceTypeLabels[d.type]})`,
  }));
  const lines = useOptions<Line>('lines', (l) => ({
    value: l.dn,
    label: l.description === undefined ? l.dn : `${l.dn} — ${l.description}`,
  }));

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(name);
      else next.set(name, value);
    }
    setParams(next, { replace: true });
  };

  const ready = user !== '' && (target === 'user' || (target === 'device' ? device !== '' : line !== ''));
  const answer = useLoad(
    async (signal) => {
      if (!ready) return undefined;
      const path = withQuery('/api/v1/cti/explain', {
        user,
        kind: kind === '' ? undefined : kind,
        device: target === 'device' ? device : undefined,
        line: target === 'line' ? line : undefined,
      });
      return api.get<AccessExplanation | UserAccessReport>(path, signal);
    },
    [user, kind, device, line, target, ready],
  );

  return (
    <>
      <PageHeader
        title="CTI access"
        description="Why can (or can't) an application control this phone? Pick a user and a device or line: the verdict shows every rule that decided, and the settings that made no difference."
      />
      <Group align="flex-end" mb="md">
        <Select
          label="User"
          placeholder="Application user or end user"
          data={[...applicationUsers, ...endUsers]}
          value={user === '' ? null : `${kind === '' ? 'application-user' : kind}:${user}`}
          onChange={(value) => {
            const [chosenKind, ...rest] = (value ?? '').split(':');
            set({ user: rest.join(':'), kind: chosenKind });
          }}
          searchable
          w={300}
        />
        <SegmentedControl
          aria-label="What to explain"
          value={target}
          onChange={(value) => set({ target: value, device: undefined, line: undefined })}
          data={[
            { value: 'device', label: 'A device' },
            { value: 'line', label: 'A line' },
            { value: 'user', label: 'The user' },
          ]}
        />
        {target === 'device' ? (
          <Select
            label="Device"
            data={devices}
            value={device === '' ? null : device}
            onChange={(value) => set({ device: value ?? undefined })}
            searchable
            w={300}
          />
        ) : null}
        {target === 'line' ? (
          <Select
            label="Directory number"
            data={lines}
            value={line === '' ? null : line}
            onChange={(value) => set({ line: value ?? undefined })}
            searchable
            w={260}
          />
        ) : null}
      </Group>
      {answer.state === 'failed' ? (
        <Alert color="red" title="Could not explain">
          {answer.error.message}
        </Alert>
      ) : null}
      {answer.value === undefined ? (
        <Text c="dimmed">Pick a user and a device, a line, or "The user" to see the verdict.</Text>
      ) : 'rules' in answer.value ? (
        <Verdict explanation={answer.value} />
      ) : (
        <UserReport report={answer.value} />
      )}
      <Title order={3} size="h4" mt="xl" mb="xs">
        Help
      </Title>
      <Accordion variant="separated" multiple defaultValue={[]}>
        <Accordion.Item value="route-point-vs-port">
          <Accordion.Control>CTI route point or CTI port?</Accordion.Control>
          <Accordion.Panel>{routePointVsPort}</Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="permissions">
          <Accordion.Control>What each CTI setting does</Accordion.Control>
          <Accordion.Panel>
            <Stack gap="xs">
              {ctiPermissionHelp.map((item) => (
                <Text key={item.name} size="sm">
                  <b>{item.name}</b>: {item.text}
                </Text>
              ))}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </>
  );
}

function Allowed(props: { label: string; allowed: boolean }) {
  return (
    <Badge size="lg" color={props.allowed ? 'green' : 'red'} variant="filled">
      {props.label}: {props.allowed ? 'allowed' : 'refused'}
    </Badge>
  );
}

function Verdict(props: { explanation: AccessExplanation }) {
  const e = props.explanation;
  const unneeded = e.rules.filter((rule) => rule.effect === 'no-effect');
  return (
    <Stack>
      <Card withBorder data-testid="verdict" data-control={String(e.control)} data-code={e.code ?? ''}>
        <Group mb="xs">
          <Allowed label="Observe" allowed={e.observe} />
          <Allowed label="Control" allowed={e.control} />
          {e.code === null ? null : (
            <Badge size="lg" color="red" variant="light">
              {e.code}
            </Badge>
          )}
        </Group>
        <Text>{e.summary}</Text>
        {e.decidedBy === null ? null : (
          <Text size="sm" c="dimmed" mt={4}>
            Decided by: {e.decidedBy.sentence}
          </Text>
        )}
      </Card>
      <RulesTable rules={e.rules} />
      <Text size="sm" c="dimmed">
        {unneeded.length === 0
          ? 'Every setting listed took part in the decision.'
          : `${unneeded.length} of these settings made no difference to this answer (shown greyed, "no-effect").`}
      </Text>
      {e.appearances === undefined ? null : (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Appears on device</Table.Th>
              <Table.Th>Observe</Table.Th>
              <Table.Th>Control</Table.Th>
              <Table.Th>Decided by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {e.appearances.map((a) => (
              <Table.Tr key={a.device}>
                <Table.Td>{a.device}</Table.Td>
                <Table.Td>{a.observe ? 'yes' : 'no'}</Table.Td>
                <Table.Td>{a.control ? 'yes' : `no${a.code === null ? '' : ` (${a.code})`}`}</Table.Td>
                <Table.Td>{a.decidedBy.sentence}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function RulesTable(props: { rules: AccessRule[] }) {
  return (
    <Table withTableBorder aria-label="Rules">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Setting</Table.Th>
          <Table.Th>Subject</Table.Th>
          <Table.Th>Value</Table.Th>
          <Table.Th miw={120}>Effect</Table.Th>
          <Table.Th>Why</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.rules.map((rule) => (
          <Table.Tr key={`${rule.setting}:${rule.subject}`} style={{ opacity: rule.effect === 'no-effect' ? 0.6 : 1 }}>
            <Table.Td>{settingLabels[rule.setting]}</Table.Td>
            <Table.Td>{rule.subject}</Table.Td>
            <Table.Td>{rule.value === null ? '—' : rule.value ? 'yes' : 'no'}</Table.Td>
            <Table.Td>
              <Badge color={effectColors[rule.effect]} variant="light">
                {rule.effect}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{rule.sentence}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function UserReport(props: { report: UserAccessReport }) {
  const r = props.report;
  return (
    <Stack>
      <Card withBorder>
        <Group mb="xs">
          <Allowed label="Open a provider" allowed={r.mayOpenProvider} />
          {r.refusal === undefined ? null : (
            <Badge size="lg" color="red" variant="light">
              {r.refusal.code}
            </Badge>
          )}
        </Group>
        {r.refusal === undefined ? null : <Text>{r.refusal.reason}</Text>}
        <Text size="sm">
          Reaches {r.reach.terminals} devices ({r.reach.observableTerminals} observable) and {r.reach.addresses} lines (
          {r.reach.observableAddresses} observable).
        </Text>
      </Card>
      <Table withTableBorder aria-label="Settings">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Setting</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th miw={120}>Status</Table.Th>
            <Table.Th>Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.settings.map((s) => (
            <Table.Tr key={`${s.setting}:${s.subject}`}>
              <Table.Td>{settingLabels[s.setting]}</Table.Td>
              <Table.Td>{s.subject}</Table.Td>
              <Table.Td>
                <Badge color={statusColors[s.status]} variant="light">
                  {s.status}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{s.sentence}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed">
        {r.unneeded.length === 0
          ? 'The user needs every setting it has.'
          : `Settings the user does not need: ${r.unneeded.map((s) => s.subject).join(', ')}.`}
      </Text>
    </Stack>
  );
}
