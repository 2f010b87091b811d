import { Alert, Group, Pagination, Select, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { api, withQuery } from '../api/client';
import type { Page } from '../api/types';
import { useLoad } from './use-load';

export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
  /** The API's sort field for this column, when the list can be sorted by it. */
  sort?: string;
}

const pageSizes = ['25', '50', '100', '250'];

/**
 * A list the API pages: a search box (the API's `q`, sent as one types), sortable columns, pages
 * of 25 to 250, and rows that open with a click or with Enter.
 */
export function PagedList<T>(props: {
  path: string;
  columns: Array<Column<T>>;
  keyOf: (item: T) => string;
  searchLabel: string;
  query?: Record<string, string | undefined>;
  onOpen?: (item: T) => void;
  filters?: ReactNode;
  /** Changes whenever the rows should be fetched again (after a change elsewhere). */
  refresh?: unknown;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState('50');
  const [sort, setSort] = useState<string | undefined>(undefined);
  const limit = Number(pageSize);
  const query = { ...props.query, q, sort, offset: (page - 1) * limit, limit };
  const list = useLoad(
    (signal) => api.get<Page<T>>(withQuery(props.path, query), signal),
    [props.path, JSON.stringify(query), props.refresh],
  );
  const items = list.value?.items ?? [];
  const total = list.value?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / limit));

  const open = (item: T) => props.onOpen?.(item);
  const onRowKey = (event: KeyboardEvent, item: T) => {
    if (event.key === 'Enter') open(item);
  };
  const toggleSort = (field: string) => setSort(sort === field ? `-${field}` : field);

  return (
    <div>
      <Group mb="sm" align="flex-end">
        <TextInput
          label={props.searchLabel}
          placeholder="Type to search"
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
          w={280}
        />
        {props.filters}
        <Text size="sm" c="dimmed" ml="auto" aria-live="polite">
          {list.state === 'loading' && list.value === undefined ? 'Loading…' : `${total} found`}
        </Text>
      </Group>
      {list.state === 'failed' ? (
        <Alert color="red" mb="sm" title="Could not load the list">
          {list.error.message}
        </Alert>
      ) : null}
      <Table striped highlightOnHover withTableBorder stickyHeader>
        <Table.Thead>
          <Table.Tr>
            {props.columns.map((column) => (
              <Table.Th
                key={column.header}
                aria-sort={
                  column.sort === undefined
                    ? undefined
                    : sort === column.sort
                      ? 'ascending'
                      : sort === `-${column.sort}`
                        ? 'descending'
                        : 'none'
                }
              >
                {column.sort === undefined ? (
                  column.header
                ) : (
                  <UnstyledButton fw={700} fz="sm" onClick={() => toggleSort(column.sort!)}>
                    {column.header}
                    {sort === column.sort ? ' ▲' : sort === `-${column.sort}` ? ' ▼' : ''}
                  </UnstyledButton>
                )}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr
              key={props.keyOf(item)}
              data-clickable={props.onOpen === undefined ? undefined : 'true'}
              tabIndex={props.onOpen === undefined ? undefined : 0}
              onClick={() => open(item)}
              onKeyDown={(event) => onRowKey(event, item)}
            >
              {props.columns.map((column) => (
                <Table.Td key={column.header}>{column.cell(item)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
          {items.length === 0 && list.state !== 'loading' ? (
            <Table.Tr>
              <Table.Td colSpan={props.columns.length}>
                <Text c="dimmed" size="sm">
                  {q === '' ? 'None yet.' : `Nothing matches "${q}".`}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
      <Group justify="space-between" mt="sm">
        <Pagination total={pages} value={page} onChange={setPage} size="sm" aria-label="Pages" />
        <Select
          aria-label="Rows per page"
          data={pageSizes}
          value={pageSize}
          onChange={(value) => {
            setPageSize(value ?? '50');
            setPage(1);
          }}
          w={90}
          size="xs"
          allowDeselect={false}
        />
      </Group>
    </div>
  );
}
