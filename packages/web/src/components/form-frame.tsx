import { Alert, Button, Group, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { EditorState } from '../forms/use-object-editor';

/**
 * The frame every edit page shares: what the server refused above the form, the sections, and
 * Save / Delete / Back at the bottom (Enter in a field saves, as in any form).
 */
export function FormFrame<T>(props: {
  editor: EditorState<T>;
  general: string[];
  saving: boolean;
  isNew: boolean;
  onSubmit: (event?: React.FormEvent<HTMLFormElement>) => void;
  onDelete?: () => void;
  onBack: () => void;
  saved?: boolean;
  children: ReactNode;
}) {
  if (props.editor.state === 'loading') return <Loader aria-label="Loading" />;
  if (props.editor.state === 'missing') {
    return (
      <Alert color="red" title="Not found">
        {props.editor.message}
      </Alert>
    );
  }
  return (
    <form onSubmit={props.onSubmit} noValidate>
      <Stack maw={900}>
        {props.general.length === 0 ? null : (
          <Alert color="red" title="Not saved" role="alert">
            {props.general.map((message) => (
              <div key={message}>{message}</div>
            ))}
          </Alert>
        )}
        {props.saved === true && props.general.length === 0 ? (
          <Alert color="green" role="status">
            Saved. The server follows the change at once; the next call uses it.
          </Alert>
        ) : null}
        {props.children}
        <Group>
          <Button type="submit" loading={props.saving}>
            {props.isNew ? 'Add' : 'Save'}
          </Button>
          {props.isNew || props.onDelete === undefined ? null : (
            <Button color="red" variant="light" onClick={props.onDelete}>
              Delete
            </Button>
          )}
          <Button variant="default" onClick={props.onBack}>
            Back to the list
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
