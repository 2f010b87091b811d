import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="nowrap">
      <Stack gap={2}>
        <Title order={2}>{props.title}</Title>
        {props.description === undefined ? null : (
          <Text size="sm" c="dimmed" maw={820}>
            {props.description}
          </Text>
        )}
      </Stack>
      {props.actions === undefined ? null : <Group gap="xs">{props.actions}</Group>}
    </Group>
  );
}
