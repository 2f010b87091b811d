import { AppShell, Badge, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { useLive } from '../live/live-provider';
import { useSession } from './session';

/** The navigation, grouped as CUCM Administration's menus are, under the names CUCM admins know. */
export const navigation: ReadonlyArray<{ heading: string; pages: ReadonlyArray<{ path: string; label: string }> }> = [
  {
    heading: 'Overview',
    pages: [
      { path: '/', label: 'Dashboard' },
      { path: '/live', label: 'Live' },
    ],
  },
  {
    heading: 'Device',
    pages: [
      { path: '/devices', label: 'Devices' },
      { path: '/lines', label: 'Directory Numbers' },
    ],
  },
  {
    heading: 'User Management',
    pages: [
      { path: '/application-users', label: 'Application Users' },
      { path: '/end-users', label: 'End Users' },
      { path: '/access-control-groups', label: 'Access Control Groups' },
      { path: '/cti-access', label: 'CTI Access' },
    ],
  },
  {
    heading: 'Call Routing',
    pages: [
      { path: '/hunt-pilots', label: 'Hunt Pilots' },
      { path: '/hunt-lists', label: 'Hunt Lists' },
      { path: '/line-groups', label: 'Line Groups' },
      { path: '/voicemail', label: 'Voice Mail' },
    ],
  },
  {
    heading: 'Monitoring',
    pages: [
      { path: '/call-records', label: 'Call Records' },
      { path: '/call-trace', label: 'Call Trace' },
      { path: '/audit-log', label: 'Audit Log' },
    ],
  },
  {
    heading: 'System',
    pages: [
      { path: '/settings', label: 'Settings' },
      { path: '/import', label: 'Bulk Import' },
    ],
  },
];

/** Header, navigation and the page; a skip link lets keyboard users jump past the navigation. */
export function Shell(props: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const live = useLive();
  const location = useLocation();
  const isActive = (path: string) =>
    path === '/' ? location.pathname === '/' : location.pathname === path || location.pathname.startsWith(`${path}/`);
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 230, breakpoint: 0 }} padding="md">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Title order={1} size="h4">
              Strowger
            </Title>
            <Text size="sm" c="dimmed">
              Call manager administration
            </Text>
          </Group>
          <Group gap="sm">
            <Badge
              color={live.connected ? 'green' : 'gray'}
              variant="light"
              title="The live event stream updates registrations, calls and CTI sessions without reloading"
            >
              {live.connected ? 'live' : 'reconnecting'}
            </Badge>
            <Text size="sm">
              {me.username} ({me.role})
            </Text>
            <Button size="xs" variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {navigation.map((section) => (
            <div key={section.heading}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt={8} pb={0}>
                {section.heading}
              </Text>
              {section.pages.map((page) => (
                <NavLink
                  key={page.path}
                  component={RouterLink}
                  to={page.path}
                  label={page.label}
                  active={isActive(page.path)}
                  py={3}
                />
              ))}
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {props.children}
      </AppShell.Main>
    </AppShell>
  );
}
