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
  extensionMobilityLoginCode: string;
  extensionMobilityLogoutCode: string;
  callParkRange: string;
  callParkReversionSeconds: number | '';
}

const fields = [
  'sipRealm',
  'voicemailPilot',
  'conferenceNumber',
  'extensionMobilityMaxLoginMinutes',
  'extensionMobilityLoginCode',
  'extensionMobilityLogoutCode',
  'callParkRange',
  'callParkReversionSeconds',
];

/** A feature code: keys a phone can dial (digits, * and #). */
const featureCode = (value: string): string | null =>
  value === '' || /^[0-9*#]{2,16}$/.test(value) ? null : 'Two to sixteen keys a phone can dial: digits, * and #';

/** System-wide settings (CUCM's Service Parameters, the few Strowger has), saved with If-Match. */
export function SettingsPage() {
  const [etag, setEtag] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [general, setGeneral] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const form = useForm<SettingsForm>({
    initialValues: {
      sipRealm: '',
      voicemailPilot: '',
      conferenceNumber: '',
      extensionMobilityMaxLoginMinutes: '',
      extensionMobilityLoginCode: '',
      extensionMobilityLogoutCode: '',
      callParkRange: '',
      callParkReversionSeconds: '',
    },
    validateInputOnChange: true,
    validate: {
      sipRealm: (value) =>
        value === '' || /^[A-Za-z0-9_.:-]{1,100}$/.test(value) ? null : 'Letters, digits, "_", ".", ":" and "-"',
      voicemailPilot: directoryNumber,
      conferenceNumber: directoryNumber,
      extensionMobilityLoginCode: featureCode,
      extensionMobilityLogoutCode: featureCode,
      callParkRange: (value) =>
        value === '' || /^[0-9]{1,20}(-[0-9]{1,20})?$/.test(value) ? null : 'A number, or a range as "7900-7919"',
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
          extensionMobilityLoginCode: value.extensionMobilityLoginCode ?? '',
          extensionMobilityLogoutCode: value.extensionMobilityLogoutCode ?? '',
          callParkRange: value.callParkRange ?? '',
          callParkReversionSeconds: value.callParkReversionSeconds ?? '',
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
      ...(values.extensionMobilityLoginCode === ''
        ? {}
        : { extensionMobilityLoginCode: values.extensionMobilityLoginCode }),
      ...(values.extensionMobilityLogoutCode === ''
        ? {}
        : { extensionMobilityLogoutCode: values.extensionMobilityLogoutCode }),
      ...(values.callParkRange === '' ? {} : { callParkRange: values.callParkRange }),
      ...(values.callParkReversionSeconds === '' ? {} : { callParkReversionSeconds: values.callParkReversionSeconds }),
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
            <TextInput
              label="Login code"
              description="What a phone dials to log in (for example *70)."
              mt="sm"
              w={300}
              {...form.getInputProps('extensionMobilityLoginCode')}
            />
            <TextInput
              label="Logout code"
              description="What a phone dials to log out (for example *71)."
              mt="sm"
              w={300}
              {...form.getInputProps('extensionMobilityLogoutCode')}
            />
          </Fieldset>
          <Fieldset legend="Call Park">
            <TextInput
              label="Call Park Number/Range"
              description="Where parked calls wait, as 7900-7919; CTI applications park and retrieve calls there."
              w={300}
              {...form.getInputProps('callParkRange')}
            />
            <NumberInput
              label="Call Park Reversion Timer (seconds)"
              description="A parked call nobody retrieves rings its parker again after this long."
              min={10}
              max={3600}
              mt="sm"
              w={300}
              {...form.getInputProps('callParkReversionSeconds')}
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
