import { Fieldset, MultiSelect, PasswordInput, Select, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { AutoAnswerMode, Device, DeviceType, Line } from '../api/types';
import { FormFrame } from '../components/form-frame';
import { HelpNote, routePointVsPort } from '../components/help';
import { deviceTypeOptions } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { RegistrationBadge } from '../components/registration-badge';
import { useOptions } from '../components/use-options';
import { withUnshownFields } from '../forms/merge';
import { useObjectEditor } from '../forms/use-object-editor';
import { deviceName, maxLength, required } from '../forms/validators';
import { useLive } from '../live/live-provider';

interface DeviceForm {
  name: string;
  type: DeviceType;
  description: string;
  allowCtiControl: boolean;
  extensionMobility: boolean;
  autoAnswer: AutoAnswerMode;
  lines: string[];
  sipUsername: string;
  sipPassword: string;
}

const fields = [
  'name',
  'type',
  'description',
  'allowCtiControl',
  'extensionMobility',
  'autoAnswer',
  'lines',
  'sip.username',
  'sip.password',
  'sip',
];

function formOf(device: Device | undefined): DeviceForm {
  return {
    name: device?.name ?? '',
    type: device?.type ?? 'sip-phone',
    description: device?.description ?? '',
    allowCtiControl: device?.allowCtiControl ?? true,
    extensionMobility: device?.extensionMobility ?? false,
    autoAnswer: device?.autoAnswer ?? 'both',
    lines: device?.lines ?? [],
    sipUsername: device?.sip?.username ?? '',
    sipPassword: '',
  };
}

function documentOf(values: DeviceForm): Device {
  const phone = values.type === 'sip-phone';
  return {
    name: values.name,
    type: values.type,
    ...(values.description === '' ? {} : { description: values.description }),
    allowCtiControl: values.allowCtiControl,
    ...(phone && values.extensionMobility ? { extensionMobility: true } : {}),
    ...(phone && values.autoAnswer !== 'both' ? { autoAnswer: values.autoAnswer } : {}),
    lines: values.lines,
    // A password left empty is kept as it is (the server never sends it back).
    ...(phone && values.sipUsername !== ''
      ? {
          sip: { username: values.sipUsername, ...(values.sipPassword === '' ? {} : { password: values.sipPassword }) },
        }
      : {}),
  };
}

/** One device: CUCM's "Device Information", its lines (in button order) and, for a phone, its SIP digest credentials. */
export function DeviceEditPage() {
  const { name } = useParams();
  const key = name === 'new' ? undefined : name;
  const navigate = useNavigate();
  const live = useLive();
  const { editor, general, saving, save, remove, isNew } = useObjectEditor<Device>('devices', key);
  const [saved, setSaved] = useState(false);
  const lineOptions = useOptions<Line>('lines', (line) => ({
    value: line.dn,
    label: line.description === undefined ? line.dn : `${line.dn} — ${line.description}`,
  }));
  const form = useForm<DeviceForm>({
    initialValues: formOf(undefined),
    validateInputOnChange: true,
    validate: {
      name: required(deviceName),
      description: maxLength(200),
      sipUsername: (value, values) =>
        values.type === 'sip-phone' && value !== '' && !/^[A-Za-z0-9_.!~*'()&=+$,;?/-]{1,64}$/.test(value)
          ? 'Letters, digits and URI user characters, at most 64'
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
    const owned = ['name', 'type', 'description', 'allowCtiControl', 'extensionMobility', 'autoAnswer', 'lines', 'sip'];
    const result = await save(withUnshownFields(loaded, owned, documentOf(values)), mapSipErrors(form), fields, 'name');
    if (result === undefined) return;
    setSaved(true);
    if (isNew) void navigate(`/devices/${encodeURIComponent(result.name)}`, { replace: true });
  });

  const isPhone = form.values.type === 'sip-phone';
  return (
    <>
      <PageHeader
        title={isNew ? 'Add device' : `Device ${key}`}
        actions={key === undefined ? undefined : <RegistrationBadge name={key} device={live.devices.get(key)} />}
      />
      <FormFrame
        editor={editor}
        general={general}
        saving={saving}
        isNew={isNew}
        saved={saved}
        onSubmit={submit}
        onBack={() => navigate('/devices')}
        onDelete={async () => {
          if (window.confirm(`Delete device ${key}?`) && (await remove())) void navigate('/devices');
        }}
      >
        <Fieldset legend="Device Information">
          <TextInput label="Device Name" required disabled={!isNew} {...form.getInputProps('name')} />
          <Select
            label="Device Type"
            data={deviceTypeOptions}
            allowDeselect={false}
            mt="sm"
            {...form.getInputProps('type')}
          />
          <TextInput label="Description" mt="sm" {...form.getInputProps('description')} />
          <Switch
            mt="md"
            label="Allow Control of Device from CTI"
            description="Off: every CTI user is refused control of this device and its lines (DEVICE_RESTRICTED), whatever their groups."
            {...form.getInputProps('allowCtiControl', { type: 'checkbox' })}
          />
          {isPhone ? (
            <Switch
              mt="md"
              label="Enable Extension Mobility"
              description="End users may log in on this phone and get their device profile's lines."
              {...form.getInputProps('extensionMobility', { type: 'checkbox' })}
            />
          ) : null}
          {isPhone ? (
            <Select
              mt="md"
              w={360}
              label="Auto Answer request"
              description="How the server asks this phone to answer by itself when an application calls, picks up or unparks to it."
              data={[
                { value: 'both', label: 'Answer-Mode and Call-Info (default)' },
                { value: 'answer-mode', label: 'Answer-Mode: Auto (RFC 5373) only' },
                { value: 'call-info', label: 'Call-Info answer-after=0 only' },
                { value: 'off', label: 'Off: the phone rings' },
              ]}
              allowDeselect={false}
              {...form.getInputProps('autoAnswer')}
            />
          ) : null}
        </Fieldset>
        {form.values.type === 'sip-phone' ? null : (
          <HelpNote title="CTI route point or CTI port?">{routePointVsPort}</HelpNote>
        )}
        <Fieldset legend="Association (lines)">
          <MultiSelect
            label="Directory Numbers, in button order"
            description={
              form.values.type === 'cti-port' ? 'A CTI port has one line.' : 'Type to search; the first is line 1.'
            }
            data={lineOptions}
            searchable
            {...form.getInputProps('lines')}
          />
        </Fieldset>
        {isPhone ? (
          <Fieldset legend="SIP digest credentials">
            <TextInput label="Digest User" {...form.getInputProps('sipUsername')} />
            <PasswordInput
              label="Digest Password"
              mt="sm"
              description={isNew ? undefined : 'Leave empty to keep the current password.'}
              {...form.getInputProps('sipPassword')}
            />
          </Fieldset>
        ) : null}
      </FormFrame>
    </>
  );
}

/** The server names the credentials `sip.username`; the form calls them `sipUsername`. */
function mapSipErrors(form: { setErrors(errors: Record<string, string>): void }) {
  return {
    setErrors(errors: Record<string, string>) {
      const mapped: Record<string, string> = {};
      for (const [field, message] of Object.entries(errors)) {
        const name =
          field === 'sip.username' || field === 'sip'
            ? 'sipUsername'
            : field === 'sip.password'
              ? 'sipPassword'
              : field;
        mapped[name] = message;
      }
      form.setErrors(mapped);
    },
  };
}
