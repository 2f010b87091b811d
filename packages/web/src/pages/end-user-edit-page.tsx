import { Fieldset, MultiSelect, PasswordInput, Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { AccessControlGroup, Device, EndUser, Line } from '../api/types';
import { FormFrame } from '../components/form-frame';
import { deviceTypeLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { useLoad } from '../components/use-load';
import { useOptions } from '../components/use-options';
import { withUnshownFields } from '../forms/merge';
import { useObjectEditor } from '../forms/use-object-editor';
import { maxLength, pin, required, userId } from '../forms/validators';

interface EndUserForm {
  userId: string;
  displayName: string;
  password: string;
  pin: string;
  primaryExtension: string;
  devices: string[];
  groups: string[];
}

const fields = ['userId', 'displayName', 'password', 'pin', 'primaryExtension', 'devices', 'groups'];

/** One end user, in CUCM's sections: User Information, Device Information, Directory Number Associations, Permissions Information. */
export function EndUserEditPage() {
  const { userId: param } = useParams();
  const key = param === 'new' ? undefined : param;
  const navigate = useNavigate();
  const { editor, general, saving, save, remove, isNew } = useObjectEditor<EndUser>('end-users', key);
  const [saved, setSaved] = useState(false);
  const deviceOptions = useOptions<Device>('devices', (d) => ({
    value: d.name,
    label: `${d.name} (${deviceTypeLabels[d.type]})`,
  }));
  const lineOptions = useOptions<Line>('lines', (l) => ({
    value: l.dn,
    label: l.description === undefined ? l.dn : `${l.dn} — ${l.description}`,
  }));
  const groups = useLoad(
    (signal) => api.get<{ items: AccessControlGroup[] }>('/api/v1/access-control-groups', signal),
    [],
  );
  const form = useForm<EndUserForm>({
    initialValues: {
      userId: '',
      displayName: '',
      password: '',
      pin: '',
      primaryExtension: '',
      devices: [],
      groups: [],
    },
    validateInputOnChange: true,
    validate: {
      userId: required(userId),
      displayName: maxLength(200),
      pin,
      password: (value) => (value.length > 256 ? 'At most 256 characters' : null),
    },
  });
  const loaded = editor.state === 'ready' ? editor.value : undefined;
  useEffect(() => {
    if (loaded !== undefined) {
      form.setValues({
        userId: loaded.userId,
        displayName: loaded.displayName ?? '',
        password: '',
        pin: '',
        primaryExtension: loaded.primaryExtension ?? '',
        devices: loaded.devices ?? [],
        groups: loaded.groups ?? [],
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a new version is loaded
  }, [loaded]);

  const submit = form.onSubmit(async (values) => {
    setSaved(false);
    const document: EndUser = {
      userId: values.userId,
      ...(values.displayName === '' ? {} : { displayName: values.displayName }),
      ...(values.password === '' ? {} : { password: values.password }),
      ...(values.pin === '' ? {} : { pin: values.pin }),
      ...(values.primaryExtension === '' ? {} : { primaryExtension: values.primaryExtension }),
      devices: values.devices,
      groups: values.groups,
    };
    const owned = ['userId', 'displayName', 'primaryExtension', 'devices', 'groups'];
    const result = await save(withUnshownFields(loaded, owned, document), form, fields, 'userId');
    if (result === undefined) return;
    setSaved(true);
    if (isNew) void navigate(`/end-users/${encodeURIComponent(result.userId)}`, { replace: true });
  });

  return (
    <>
      <PageHeader
        title={isNew ? 'Add end user' : `End user ${key}`}
        actions={
          key === undefined ? undefined : (
            <Link to={`/cti-access?user=${encodeURIComponent(key)}&kind=end-user&target=user`}>
              Explain its CTI access
            </Link>
          )
        }
      />
      <FormFrame
        editor={editor}
        general={general}
        saving={saving}
        isNew={isNew}
        saved={saved}
        onSubmit={submit}
        onBack={() => navigate('/end-users')}
        onDelete={async () => {
          if (window.confirm(`Delete end user ${key}?`) && (await remove())) void navigate('/end-users');
        }}
      >
        <Fieldset legend="User Information">
          <TextInput label="User ID" required disabled={!isNew} {...form.getInputProps('userId')} />
          <TextInput label="Display Name" mt="sm" {...form.getInputProps('displayName')} />
          <PasswordInput
            label="Password"
            mt="sm"
            description={isNew ? 'For CTI desktop clients.' : 'Leave empty to keep the current password.'}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="PIN"
            mt="sm"
            description={isNew ? 'For Extension Mobility login at a phone.' : 'Leave empty to keep the current PIN.'}
            autoComplete="off"
            {...form.getInputProps('pin')}
          />
        </Fieldset>
        <Fieldset legend="Device Information">
          <MultiSelect
            label="Controlled Devices"
            description="Type part of a name to find a device."
            data={deviceOptions}
            searchable
            clearable
            hidePickedOptions
            {...form.getInputProps('devices')}
          />
        </Fieldset>
        <Fieldset legend="Directory Number Associations">
          <Select
            label="Primary Extension"
            data={lineOptions}
            searchable
            clearable
            {...form.getInputProps('primaryExtension')}
            value={form.values.primaryExtension === '' ? null : form.values.primaryExtension}
            onChange={(value) => form.setFieldValue('primaryExtension', value ?? '')}
          />
        </Fieldset>
        <Fieldset legend="Permissions Information">
          <MultiSelect
            label="Groups"
            data={(groups.value?.items ?? []).map((g) => g.name)}
            searchable
            clearable
            hidePickedOptions
            {...form.getInputProps('groups')}
          />
        </Fieldset>
      </FormFrame>
    </>
  );
}
