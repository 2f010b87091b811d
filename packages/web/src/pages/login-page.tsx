import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Me } from '../api/types';

/** Sign in with an admin account; the server sets the session cookie and answers the CSRF token. */
export function LoginPage(props: { onSignedIn: (me: Me) => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (value) => (value.trim() === '' ? 'Enter the account name (the first one is "admin")' : null),
      password: (value) => (value === '' ? 'Enter the password' : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setFailure(null);
    try {
      const me = await api.send<Me>('POST', '/api/v1/auth/login', values);
      props.onSignedIn(me);
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        setFailure(
          `Too many failed sign-ins: wait ${error.problem.retryAfterSeconds ?? 'a few'} seconds and try again.`,
        );
      } else if (error instanceof ApiError && error.status === 401) {
        setFailure('The account name or password is wrong.');
      } else {
        setFailure(error instanceof Error ? error.message : String(error));
      }
    } finally {
      setBusy(false);
    }
  });

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit} aria-label="Sign in">
          <Stack>
            <div>
              <Title order={1} size="h2">
                Strowger
              </Title>
              <Text c="dimmed" size="sm">
                Call manager administration
              </Text>
            </div>
            {failure === null ? null : (
              <Alert color="red" role="alert" title="Not signed in">
                {failure}
              </Alert>
            )}
            <TextInput
              label="Account"
              autoComplete="username"
              data-autofocus
              autoFocus
              {...form.getInputProps('username')}
            />
            <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            <Text size="xs" c="dimmed">
              The first start prints the password of the account "admin" once; `strowger admin reset-password admin`
              sets a new one.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
