import { Alert, Button, Fieldset, Loader, NumberInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Settings } from '../api/types';
import { PageHeader } from '../components/page-header';
import { formErrorsFromProblem } from '../forms/field-errors';
import { directoryNumber } from '../forms/validators';

interface SettingsForm {
  sipRealm: string;
  voicemailPilot: string;
  conferenceNumber: string;
  extensionMobilityMaxLoginMinutes: number | '';
}

const fields = ['sipRealm', 'voicemailPilot', 'conferenceNumber', 'extensionMobilityMaxLoginMinutes'];

/** System-wide settings (CUCM's Service Parameters, the few Strowger has), saved with If-Match. */
export function SettingsPage() {
  const [etag, setEtag] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [general, setGeneral] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const form = useForm<SettingsForm>({
    initialValues: { sipRealm: '', voicemailPilot: '', conferenceNumber: '', extensionMobilityMaxLoginMinutes: '' },
    validateInputOnChange: true,
    validate: {
      sipRealm: (value) =>
        value === '' || /^[A-Za-z0-9_.:-]{1,100}$/.test(value) ? null : 'Letters, digits, "_", ".", ":" and "-"',
      voicemailPilot: directoryNumber,
      conferenceNumber: directoryNumber,
    },
  });
  useEffect(() => {
    api.getVersioned<Settings>('/api/v1/settings').then(
      ({ value, etag: version }) => {
        form.setValues({
          sipRealm: value.sipRealm ?? '',
          voicemailPilot: value.voicemailPilot ?? '',
          conferenceNumber: value.conferenceNumber ?? '',
          extensionMobilityMaxLoginMinutes: value.extensionMobilityMaxLoginMinutes ?? '',
        });
        setEtag(version);
        setLoading(false);
      },
      (error: unknown) => {
        setGeneral([String((error as Error).message)]);
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once when the page opens
  }, []);

  const submit = form.onSubmit(async (values) => {
    setSaved(false);
    setGeneral([]);
    const body: Settings = {
      ...(values.sipRealm === '' ? {} : { sipRealm: values.sipRealm }),
      ...(values.voicemailPilot === '' ? {} : { voicemailPilot: values.voicemailPilot }),
      ...(values.conferenceNumber === '' ? {} : { conferenceNumber: values.conferenceNumber }),
      ...(values.extensionMobilityMaxLoginMinutes === ''
        ? {}
        : { extensionMobilityMaxLoginMinutes: values.extensionMobilityMaxLoginMinutes }),
    };
    try {
      const response = await api.request('PUT', '/api/v1/settings', {
        json: body,
        headers: etag === undefined ? {} : { 'if-match': etag },
      });
      setEtag(response.headers.get('etag') ?? undefined);
      setSaved(true);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const placed = formErrorsFromProblem(error.problem, fields);
      form.setErrors(placed.fields);
      setGeneral(
        error.status === 412
          ? ['Someone changed the settings since you opened them: reload the page, then make your change again.']
          : placed.general,
      );
    }
  });

  if (loading) return <Loader aria-label="Loading" />;
  return (
    <>
      <PageHeader title="Settings" description="System-wide settings. A field left empty keeps its current value." />
      <form onSubmit={submit} noValidate>
        <Stack maw={700}>
          {general.length === 0 ? null : (
            <Alert color="red" title="Not saved" role="alert">
              {general.join(' ')}
            </Alert>
          )}
          {saved ? (
            <Alert color="green" role="status">
              Saved.
            </Alert>
          ) : null}
          <Fieldset legend="SIP">
            <TextInput
              label="SIP realm"
              description="The realm of digest challenges; phones' stored credentials (HA1) depend on it."
              {...form.getInputProps('sipRealm')}
            />
          </Fieldset>
          <Fieldset legend="Numbers">
            <TextInput
              label="Voice mail pilot"
              description="Where 'forward to voicemail' goes for lines without a voice mail profile."
              {...form.getInputProps('voicemailPilot')}
            />
            <TextInput label="Conference number" mt="sm" {...form.getInputProps('conferenceNumber')} />
          </Fieldset>
          <Fieldset legend="Extension Mobility">
            <NumberInput
              label="Maximum login time (minutes)"
              description="Logins end by themselves after this long; empty for no limit."
              min={1}
              max={10080}
              w={300}
              {...form.getInputProps('extensionMobilityMaxLoginMinutes')}
            />
          </Fieldset>
          <div>
            <Button type="submit">Save</Button>
          </div>
        </Stack>
      </form>
    </>
  );
}
