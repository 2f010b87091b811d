import { Accordion, Badge, Fieldset, Group, MultiSelect, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { AccessControlGroup, ApplicationUser, Device } from '../api/types';
import { FormFrame } from '../components/form-frame';
import { ctiPermissionHelp, routePointVsPort } from '../components/help';
import { deviceTypeLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { useLoad } from '../components/use-load';
import { useOptions } from '../components/use-options';
import { withUnshownFields } from '../forms/merge';
import { useObjectEditor } from '../forms/use-object-editor';
import { required, userId } from '../forms/validators';

interface ApplicationUserForm {
  userId: string;
  password: string;
  devices: string[];
  groups: string[];
}

const fields = ['userId', 'password', 'devices', 'groups'];

/**
 * One application user, laid out as CUCM's Application User Configuration: "Application User
 * Information", "Device Information" (the controlled devices, found by typing) and "Permissions
 * Information" (the access control groups, and the roles they grant).
 */
export function ApplicationUserEditPage() {
  const { userId: param } = useParams();
  const key = param === 'new' ? undefined : param;
  const navigate = useNavigate();
  const { editor, general, saving, save, remove, isNew } = useObjectEditor<ApplicationUser>('application-users', key);
  const [saved, setSaved] = useState(false);
  const deviceOptions = useOptions<Device>('devices', (device) => ({
    value: device.name,
    label: `${device.name} (${deviceTypeLabels[device.type]})`,
  }));
  const groups = useLoad(
    (signal) => api.get<{ items: AccessControlGroup[] }>('/api/v1/access-control-groups', signal),
    [],
  );
  const form = useForm<ApplicationUserForm>({
    initialValues: { userId: '', password: '', devices: [], groups: [] },
    validateInputOnChange: true,
    validate: {
      userId: required(userId),
      password: (value) =>
        isNew && value === ''
          ? 'An application signs in with this password; set one'
          : value.length > 256
            ? 'At most 256 characters'
            : null,
    },
  });
  const loaded = editor.state === 'ready' ? editor.value : undefined;
  useEffect(() => {
    if (loaded !== undefined) {
      form.setValues({
        userId: loaded.userId,
        password: '',
        devices: loaded.devices ?? [],
        groups: loaded.groups ?? [],
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a new version is loaded
  }, [loaded]);

  const submit = form.onSubmit(async (values) => {
    setSaved(false);
    const document: ApplicationUser = {
      userId: values.userId,
      ...(values.password === '' ? {} : { password: values.password }),
      devices: values.devices,
      groups: values.groups,
    };
    const result = await save(withUnshownFields(loaded, fields, document), form, fields, 'userId');
    if (result === undefined) return;
    setSaved(true);
    form.setFieldValue('password', '');
    if (isNew) void navigate(`/application-users/${encodeURIComponent(result.userId)}`, { replace: true });
  });

  const groupList = groups.value?.items ?? [];
  const roles = [
    ...new Set(groupList.filter((g) => form.values.groups.includes(g.name)).flatMap((g) => g.roles)),
  ].sort();
  return (
    <>
      <PageHeader
        title={isNew ? 'Add application user' : `Application user ${key}`}
        description="A server-side integration (IVR, recorder, CRM connector) that signs in to the CTI server with this user id and password."
        actions={
          key === undefined ? undefined : (
            <Link to={`/cti-access?user=${encodeURIComponent(key)}&kind=application-user`}>Explain its CTI access</Link>
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
        onBack={() => navigate('/application-users')}
        onDelete={async () => {
          if (window.confirm(`Delete application user ${key}?`) && (await remove()))
            void navigate('/application-users');
        }}
      >
        <Fieldset legend="Application User Information">
          <TextInput label="User ID" required disabled={!isNew} {...form.getInputProps('userId')} />
          <PasswordInput
            label="Password"
            mt="sm"
            required={isNew}
            description={isNew ? undefined : 'Leave empty to keep the current password.'}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
        </Fieldset>
        <Fieldset legend="Device Information">
          <MultiSelect
            label="Controlled Devices"
            description="Type part of a name to find a device. Each controlled device, with all its lines, is in the application's domain."
            data={deviceOptions}
            searchable
            clearable
            hidePickedOptions
            maxDropdownHeight={260}
            nothingFoundMessage="No device matches"
            {...form.getInputProps('devices')}
          />
        </Fieldset>
        <Fieldset legend="Permissions Information">
          <MultiSelect
            label="Groups"
            description='Every CTI application needs "Standard CTI Enabled".'
            data={groupList.map((group) => ({ value: group.name, label: group.name }))}
            searchable
            clearable
            hidePickedOptions
            {...form.getInputProps('groups')}
          />
          <Text size="sm" fw={500} mt="sm">
            Roles
          </Text>
          <Group gap={6} mt={4} aria-label="Roles">
            {roles.length === 0 ? (
              <Text size="sm" c="dimmed">
                None: the groups above grant the roles.
              </Text>
            ) : (
              roles.map((role) => (
                <Badge key={role} variant="light">
                  {role}
                </Badge>
              ))
            )}
          </Group>
          <Accordion variant="contained" mt="md">
            <Accordion.Item value="help">
              <Accordion.Control>What these settings allow, and route point vs port</Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">
                  {ctiPermissionHelp.map((item) => (
                    <Text key={item.name} size="sm">
                      <b>{item.name}</b>: {item.text}
                    </Text>
                  ))}
                  <Text size="sm">{routePointVsPort}</Text>
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        </Fieldset>
      </FormFrame>
    </>
  );
}
