import { Badge, Text } from '@mantine/core';
import { HelpNote } from '../components/help';
import type { ObjectSpec } from '../components/spec-editor';
import { directoryNumber, maxLength, objectName } from '../forms/validators';

const list = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

const huntOrder = (
  <HelpNote title="How hunting works">
    A call to a <b>hunt pilot</b> number goes to its <b>hunt list</b>, which tries its <b>line groups</b> in order; each
    line group offers the call to its member directory numbers by its algorithm (top down, circular, longest idle, or
    all at once with broadcast), moving on after the no-answer time. When every group is exhausted, the pilot's forward
    no-answer or busy destination applies.
  </HelpNote>
);

export const huntPilotSpec: ObjectSpec = {
  collection: 'hunt-pilots',
  path: '/hunt-pilots',
  keyName: 'pattern',
  title: 'Hunt Pilots',
  noun: 'hunt pilot',
  description: 'Numbers that hunt over a hunt list: sales, support, the switchboard.',
  legend: 'Hunt Pilot Configuration',
  fields: [
    { kind: 'text', name: 'pattern', label: 'Hunt Pilot', required: true, check: directoryNumber },
    { kind: 'text', name: 'description', label: 'Description', check: maxLength(200) },
    {
      kind: 'reference',
      name: 'huntList',
      label: 'Hunt List',
      collection: 'hunt-lists',
      keyName: 'name',
      many: false,
      required: true,
    },
    {
      kind: 'number',
      name: 'maxHuntSeconds',
      label: 'Maximum Hunt Timer (seconds)',
      min: 1,
      max: 3600,
      description: 'How long the call hunts at most before the forward no-answer destination.',
    },
  ],
  columns: [
    { header: 'Hunt pilot', sort: 'pattern', cell: (p) => text(p.pattern) },
    { header: 'Description', cell: (p) => text(p.description) },
    { header: 'Hunt list', sort: 'huntList', cell: (p) => text(p.huntList) },
  ],
  help: huntOrder,
};

export const huntListSpec: ObjectSpec = {
  collection: 'hunt-lists',
  path: '/hunt-lists',
  keyName: 'name',
  title: 'Hunt Lists',
  noun: 'hunt list',
  description: 'Ordered line groups a hunt pilot tries one after the other.',
  legend: 'Hunt List Information',
  fields: [
    { kind: 'text', name: 'name', label: 'Name', required: true, check: objectName },
    { kind: 'text', name: 'description', label: 'Description', check: maxLength(200) },
    {
      kind: 'reference',
      name: 'lineGroups',
      label: 'Selected Groups, in order',
      collection: 'line-groups',
      keyName: 'name',
      many: true,
      required: true,
    },
  ],
  columns: [
    { header: 'Name', sort: 'name', cell: (l) => text(l.name) },
    { header: 'Description', cell: (l) => text(l.description) },
    { header: 'Line groups', cell: (l) => list(l.lineGroups) },
  ],
  help: huntOrder,
};

const algorithms = [
  { value: 'top-down', label: 'Top Down' },
  { value: 'circular', label: 'Circular' },
  { value: 'longest-idle', label: 'Longest Idle Time' },
  { value: 'broadcast', label: 'Broadcast' },
];

export const lineGroupSpec: ObjectSpec = {
  collection: 'line-groups',
  path: '/line-groups',
  keyName: 'name',
  title: 'Line Groups',
  noun: 'line group',
  description: 'Members (directory numbers of phones or CTI ports) a call is offered to, and in which order.',
  legend: 'Line Group Information',
  fields: [
    { kind: 'text', name: 'name', label: 'Line Group Name', required: true, check: objectName },
    { kind: 'text', name: 'description', label: 'Description', check: maxLength(200) },
    {
      kind: 'choice',
      name: 'algorithm',
      label: 'Distribution Algorithm',
      options: algorithms,
      description: 'Longest Idle Time when none is chosen.',
    },
    { kind: 'number', name: 'rnaTimeoutSeconds', label: 'RNA Reversion Timeout (seconds)', min: 1, max: 300 },
    {
      kind: 'reference',
      name: 'members',
      label: 'Selected DN/Route Partition (members, in order)',
      collection: 'lines',
      keyName: 'dn',
      many: true,
    },
  ],
  columns: [
    { header: 'Name', sort: 'name', cell: (g) => text(g.name) },
    {
      header: 'Algorithm',
      sort: 'algorithm',
      cell: (g) => <Badge variant="light">{text(g.algorithm) || 'longest-idle'}</Badge>,
    },
    { header: 'Members', cell: (g) => list(g.members) },
  ],
  help: huntOrder,
};

export const voicemailProfileSpec: ObjectSpec = {
  collection: 'voicemail-profiles',
  path: '/voicemail',
  keyName: 'name',
  title: 'Voice Mail Profiles',
  noun: 'voice mail profile',
  description: (
    <Text span size="sm">
      Which voicemail pilot a line's "forward to voicemail" reaches. Lines without a profile use the system voicemail
      pilot number in Settings.
    </Text>
  ),
  legend: 'Voice Mail Profile Information',
  fields: [
    { kind: 'text', name: 'name', label: 'Voice Mail Profile Name', required: true, check: objectName },
    { kind: 'text', name: 'description', label: 'Description', check: maxLength(200) },
    {
      kind: 'text',
      name: 'pilot',
      label: 'Voice Mail Pilot',
      required: true,
      check: directoryNumber,
      description: 'The number of the voicemail application (a route point or hunt pilot).',
    },
  ],
  columns: [
    { header: 'Name', sort: 'name', cell: (p) => text(p.name) },
    { header: 'Description', cell: (p) => text(p.description) },
    { header: 'Voice mail pilot', sort: 'pilot', cell: (p) => text(p.pilot) },
  ],
};
