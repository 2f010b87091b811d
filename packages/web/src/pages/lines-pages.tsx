import { Badge, Button, Fieldset, Group, NumberInput, Select, SimpleGrid, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { ForwardTarget, Line, VoicemailProfile } from '../api/types';
import { FormFrame } from '../components/form-frame';
import { PageHeader } from '../components/page-header';
import { PagedList } from '../components/paged-list';
import { useOptions } from '../components/use-options';
import { withUnshownFields } from '../forms/merge';
import { useObjectEditor } from '../forms/use-object-editor';
import { directoryNumber, maxLength, required } from '../forms/validators';

const forwardKinds = [
  { key: 'all', label: 'Forward All' },
  { key: 'busy', label: 'Forward Busy' },
  { key: 'noAnswer', label: 'Forward No Answer' },
  { key: 'unregistered', label: 'Forward Unregistered' },
  { key: 'ctiFailure', label: 'Forward on CTI Failure' },
  { key: 'noCoverage', label: 'Forward No Coverage' },
] as const;

type ForwardKey = (typeof forwardKinds)[number]['key'];

/** How a forward reads in a list: the number, or "voicemail". */
function forwardText(target: ForwardTarget | undefined): string | undefined {
  if (target === undefined) return undefined;
  return 'destination' in target ? target.destination : 'voicemail';
}

export function LinesPage() {
  const navigate = useNavigate();
  return (
    <>
      <PageHeader
        title="Directory Numbers"
        description="Lines: numbers that ring devices, with their forwarding and CTI settings."
        actions={<Button onClick={() => navigate('/lines/new')}>Add directory number</Button>}
      />
      <PagedList<Line>
        path="/api/v1/lines"
        searchLabel="Find directory numbers by number or description"
        keyOf={(line) => line.dn}
        onOpen={(line) => navigate(`/lines/${encodeURIComponent(line.dn)}`)}
        columns={[
          { header: 'Directory number', sort: 'dn', cell: (l) => l.dn },
          { header: 'Description', sort: 'description', cell: (l) => l.description ?? '' },
          {
            header: 'Forwarding',
            cell: (l) =>
              forwardKinds
                .map((kind) => [kind.label.replace('Forward ', ''), forwardText(l.forward?.[kind.key])] as const)
                .filter(([, target]) => target !== undefined)
                .map(([label, target]) => `${label} → ${target}`)
                .join(', '),
          },
          {
            header: 'CTI control',
            cell: (l) =>
              l.allowCtiControl === false ? (
                <Badge color="orange" variant="light">
                  off
                </Badge>
              ) : (
                'allowed'
              ),
          },
        ]}
      />
    </>
  );
}

type ForwardChoice = 'none' | 'number' | 'voicemail';

interface LineForm {
  dn: string;
  description: string;
  allowCtiControl: boolean;
  forward: Record<ForwardKey, { choice: ForwardChoice; destination: string }>;
  noAnswerSeconds: number | '';
  maxCalls: number | '';
  busyTrigger: number | '';
  voicemailProfile: string;
  pickupGroup: string;
}

function formOf(line: Line | undefined): LineForm {
  const forward = {} as LineForm['forward'];
  for (const { key } of forwardKinds) {
    const target = line?.forward?.[key];
    forward[key] =
      target === undefined
        ? { choice: 'none', destination: '' }
        : 'destination' in target
          ? { choice: 'number', destination: target.destination }
          : { choice: 'voicemail', destination: '' };
  }
  return {
    dn: line?.dn ?? '',
    description: line?.description ?? '',
    allowCtiControl: line?.allowCtiControl ?? true,
    forward,
    noAnswerSeconds: line?.forward?.noAnswerSeconds ?? '',
    maxCalls: line?.maxCalls ?? '',
    busyTrigger: line?.busyTrigger ?? '',
    voicemailProfile: line?.voicemailProfile ?? '',
    pickupGroup: line?.pickupGroup ?? '',
  };
}

function documentOf(values: LineForm): Line {
  const forward: NonNullable<Line['forward']> = {};
  for (const { key } of forwardKinds) {
    const { choice, destination } = values.forward[key];
    if (choice === 'number') forward[key] = { destination };
    if (choice === 'voicemail') forward[key] = { voicemail: true };
  }
  if (values.noAnswerSeconds !== '') forward.noAnswerSeconds = values.noAnswerSeconds;
  return {
    dn: values.dn,
    ...(values.description === '' ? {} : { description: values.description }),
    allowCtiControl: values.allowCtiControl,
    ...(Object.keys(forward).length === 0 ? {} : { forward }),
    ...(values.maxCalls === '' ? {} : { maxCalls: values.maxCalls }),
    ...(values.busyTrigger === '' ? {} : { busyTrigger: values.busyTrigger }),
    ...(values.voicemailProfile === '' ? {} : { voicemailProfile: values.voicemailProfile }),
    ...(values.pickupGroup === '' ? {} : { pickupGroup: values.pickupGroup }),
  };
}

/**
 * The form's fields as the server names them: a forward's number is `forward.busy.destination` in
 * both; a problem with a forward as a whole is shown above the form.
 */
const formFields = [
  'dn',
  'description',
  'allowCtiControl',
  'maxCalls',
  'busyTrigger',
  'voicemailProfile',
  'pickupGroup',
  ...forwardKinds.map((kind) => `forward.${kind.key}.destination`),
];

export function LineEditPage() {
  const { dn } = useParams();
  const key = dn === 'new' ? undefined : dn;
  const navigate = useNavigate();
  const { editor, general, saving, save, remove, isNew } = useObjectEditor<Line>('lines', key);
  const [saved, setSaved] = useState(false);
  const profiles = useOptions<VoicemailProfile>('voicemail-profiles', (p) => ({ value: p.name, label: p.name }));
  const form = useForm<LineForm>({
    initialValues: formOf(undefined),
    validateInputOnChange: true,
    validate: {
      dn: required(directoryNumber),
      description: maxLength(200),
      forward: {
        all: { destination: (value, values) => destinationCheck(value, values.forward.all.choice) },
        busy: { destination: (value, values) => destinationCheck(value, values.forward.busy.choice) },
        noAnswer: { destination: (value, values) => destinationCheck(value, values.forward.noAnswer.choice) },
        unregistered: { destination: (value, values) => destinationCheck(value, values.forward.unregistered.choice) },
        ctiFailure: { destination: (value, values) => destinationCheck(value, values.forward.ctiFailure.choice) },
        noCoverage: { destination: (value, values) => destinationCheck(value, values.forward.noCoverage.choice) },
      },
      busyTrigger: (value, values) =>
        value !== '' && values.maxCalls !== '' && value > values.maxCalls
          ? 'Busy trigger cannot be above maximum calls'
          : null,
    },
  });
  const loaded = editor.state === 'ready' ? editor.value : undefined;
  useEffect(() => {
    if (loaded !== undefined) form.setValues(formOf(loaded));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a new version is loaded
  }, [loaded]);

  const submit = form.onSubmit(async (values) => {
    setSaved(false);
    const owned = [
      'dn',
      'description',
      'allowCtiControl',
      'forward',
      'maxCalls',
      'busyTrigger',
      'voicemailProfile',
      'pickupGroup',
    ];
    const result = await save(withUnshownFields(loaded, owned, documentOf(values)), form, formFields, 'dn');
    if (result === undefined) return;
    setSaved(true);
    if (isNew) void navigate(`/lines/${encodeURIComponent(result.dn)}`, { replace: true });
  });

  return (
    <>
      <PageHeader title={isNew ? 'Add directory number' : `Directory number ${key}`} />
      <FormFrame
        editor={editor}
        general={general}
        saving={saving}
        isNew={isNew}
        saved={saved}
        onSubmit={submit}
        onBack={() => navigate('/lines')}
        onDelete={async () => {
          if (window.confirm(`Delete directory number ${key}?`) && (await remove())) void navigate('/lines');
        }}
      >
        <Fieldset legend="Directory Number Information">
          <TextInput label="Directory Number" required disabled={!isNew} {...form.getInputProps('dn')} />
          <TextInput label="Description" mt="sm" {...form.getInputProps('description')} />
          <Switch
            mt="md"
            label="Allow Control from CTI"
            description="Off: the line is restricted for every CTI user on every device it appears on (LINE_RESTRICTED)."
            {...form.getInputProps('allowCtiControl', { type: 'checkbox' })}
          />
        </Fieldset>
        <Fieldset legend="Call Forward and Call Pickup Settings">
          {forwardKinds.map((kind) => (
            <Group key={kind.key} align="flex-end" mb="xs">
              <Select
                label={kind.label}
                data={[
                  { value: 'none', label: 'Off' },
                  { value: 'number', label: 'To a number' },
                  { value: 'voicemail', label: 'To voicemail' },
                ]}
                allowDeselect={false}
                w={180}
                {...form.getInputProps(`forward.${kind.key}.choice`)}
              />
              {form.values.forward[kind.key].choice === 'number' ? (
                <TextInput
                  label="Destination"
                  aria-label={`${kind.label} destination`}
                  w={200}
                  {...form.getInputProps(`forward.${kind.key}.destination`)}
                />
              ) : null}
            </Group>
          ))}
          <NumberInput
            label="No Answer Ring Duration (seconds)"
            min={1}
            max={300}
            w={260}
            {...form.getInputProps('noAnswerSeconds')}
          />
        </Fieldset>
        <Fieldset legend="Multiple Call / Call Waiting Settings">
          <SimpleGrid cols={2}>
            <NumberInput
              label="Maximum Number of Calls"
              description="Up to 200; up to 10,000 on a CTI route point"
              min={1}
              max={10000}
              {...form.getInputProps('maxCalls')}
            />
            <NumberInput label="Busy Trigger" min={1} max={10000} {...form.getInputProps('busyTrigger')} />
          </SimpleGrid>
          <Select
            label="Voice Mail Profile"
            mt="sm"
            data={profiles}
            clearable
            value={form.values.voicemailProfile === '' ? null : form.values.voicemailProfile}
            onChange={(value) => form.setFieldValue('voicemailProfile', value ?? '')}
            error={form.errors.voicemailProfile}
          />
          <TextInput
            label="Call Pickup Group"
            description="Lines with the same group name pick up each other's ringing calls."
            mt="sm"
            {...form.getInputProps('pickupGroup')}
          />
        </Fieldset>
      </FormFrame>
    </>
  );
}

function destinationCheck(value: string, choice: ForwardChoice): string | null {
  if (choice !== 'number') return null;
  return required(directoryNumber)(value);
}
