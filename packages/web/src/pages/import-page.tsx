import { Alert, Button, Code, FileInput, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { ImportJob } from '../api/types';
import { PageHeader } from '../components/page-header';

type Mode = 'dry-run' | 'apply';

const pollMs = 500;

/**
 * Bulk import (CUCM's Bulk Administration): a CSV of phones, lines and users is checked in a dry
 * run that lists every problem by row and column, then applied all or nothing, with progress.
 */
export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<{ id: string; mode: Mode } | null>(null);
  const [status, setStatus] = useState<ImportJob | null>(null);
  const [checked, setChecked] = useState<{ name: string; clean: boolean } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (job === null) return;
    let stopped = false;
    let timer = 0;
    const poll = async () => {
      try {
        const next = await api.get<ImportJob>(`/api/v1/imports/${encodeURIComponent(job.id)}`);
        if (stopped) return;
        setStatus(next);
        if (next.state === 'done' || next.state === 'failed') {
          if (job.mode === 'dry-run' && file !== null) {
            setChecked({ name: file.name, clean: next.state === 'done' && next.problems.length === 0 });
          }
          return;
        }
        timer = window.setTimeout(() => void poll(), pollMs);
      } catch (error) {
        if (!stopped) setFailure(String((error as Error).message));
      }
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [job, file]);

  const start = async (mode: Mode) => {
    if (file === null) return;
    setFailure(null);
    setStatus(null);
    if (mode === 'dry-run') setChecked(null);
    try {
      const response = await api.request('POST', `/api/v1/imports?dryRun=${mode === 'dry-run'}`, {
        text: await file.text(),
        contentType: 'text/csv',
      });
      const { id } = (await response.json()) as { id: string };
      setJob({ id, mode });
    } catch (error) {
      setFailure(String((error as Error).message));
    }
  };

  const running = status !== null && (status.state === 'validating' || status.state === 'applying');
  const percent =
    status === null || status.progress.total === 0 ? 0 : (100 * status.progress.done) / status.progress.total;
  const mayApply = checked !== null && checked.clean && file !== null && checked.name === file.name && !running;

  return (
    <>
      <PageHeader
        title="Bulk Import"
        description="Add phones, lines and users from a CSV file. First a dry run checks every row and lists each problem by row and column; then Apply makes all the changes in one transaction, or none."
      />
      <Stack maw={900}>
        <FileInput
          label="CSV file"
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          value={file}
          onChange={(next) => {
            setFile(next);
            setChecked(null);
            setStatus(null);
          }}
        />
        <Group>
          <Button onClick={() => void start('dry-run')} disabled={file === null || running}>
            Dry run
          </Button>
          <Button color="green" onClick={() => void start('apply')} disabled={!mayApply}>
            Apply
          </Button>
          {checked !== null && !checked.clean ? (
            <Text size="sm" c="red">
              Fix the problems below and run the dry run again before applying.
            </Text>
          ) : null}
        </Group>
        {failure === null ? null : (
          <Alert color="red" title="The import was refused">
            {failure}
          </Alert>
        )}
        {status === null ? null : (
          <div>
            <Text size="sm" mb={4}>
              {job?.mode === 'apply' ? 'Applying' : 'Checking'}: {status.state} — {status.progress.done} of{' '}
              {status.progress.total} rows
            </Text>
            <Progress value={percent} animated={running} aria-label="Import progress" />
          </div>
        )}
        {status !== null && status.problems.length > 0 ? (
          <Table withTableBorder striped aria-label="Problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Column</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {status.problems.map((problem) => (
                <Table.Tr key={`${problem.row}:${problem.column}:${problem.message}`}>
                  <Table.Td>{problem.row}</Table.Td>
                  <Table.Td>{problem.column}</Table.Td>
                  <Table.Td>{problem.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        {status?.state === 'done' && status.summary !== undefined ? (
          <div>
            <Text size="sm" fw={500}>
              {job?.mode === 'apply' ? 'Applied' : 'The dry run found no problem; Apply would make these changes'}:
            </Text>
            <Code block>{JSON.stringify(status.summary, null, 2)}</Code>
          </div>
        ) : null}
      </Stack>
    </>
  );
}
