import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import { formErrorsFromProblem } from './field-errors';

/** Any form of @mantine/form, as far as the editor needs it. */
interface FormWithErrors {
  setErrors(errors: Record<string, string>): void;
}

export type EditorState<T> =
  | { state: 'loading' }
  | { state: 'missing'; message: string }
  | { state: 'ready'; value: T | undefined; etag: string | undefined };

/**
 * Reads one configuration object with its ETag and saves it back with If-Match, so two admins
 * never overwrite each other silently (the server answers 412 and the form says so). `key` is
 * undefined for a new object, which is created with POST.
 */
export function useObjectEditor<T>(collection: string, key: string | undefined) {
  const [editor, setEditor] = useState<EditorState<T>>(
    key === undefined ? { state: 'ready', value: undefined, etag: undefined } : { state: 'loading' },
  );
  const [general, setGeneral] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const path = key === undefined ? undefined : `/api/v1/${collection}/${encodeURIComponent(key)}`;

  useEffect(() => {
    if (path === undefined) return;
    let current = true;
    api.getVersioned<T>(path).then(
      ({ value, etag }) => current && setEditor({ state: 'ready', value, etag }),
      (error: unknown) => current && setEditor({ state: 'missing', message: String((error as Error).message) }),
    );
    return () => {
      current = false;
    };
  }, [path]);

  /** Sends the document; a refusal is put on the form's fields, the rest above the form. */
  const save = useCallback(
    async (document: T, form: FormWithErrors, fields: readonly string[], keyField: string): Promise<T | undefined> => {
      setSaving(true);
      setGeneral([]);
      try {
        const etag = editor.state === 'ready' ? editor.etag : undefined;
        const response = await api.request(path === undefined ? 'POST' : 'PUT', path ?? `/api/v1/${collection}`, {
          json: document,
          headers: etag === undefined ? {} : { 'if-match': etag },
        });
        const saved = (await response.json()) as T;
        setEditor({ state: 'ready', value: saved, etag: response.headers.get('etag') ?? undefined });
        return saved;
      } catch (error) {
        if (!(error instanceof ApiError)) {
          setGeneral([String(error)]);
          return undefined;
        }
        const placed = formErrorsFromProblem(error.problem, fields, { keyField });
        form.setErrors(placed.fields);
        const stale =
          error.status === 412
            ? ['Someone changed this since you opened it: reload the page to see their change, then make yours again.']
            : [];
        setGeneral([...stale, ...(error.status === 412 ? [] : placed.general)]);
        return undefined;
      } finally {
        setSaving(false);
      }
    },
    [collection, editor, path],
  );

  const remove = useCallback(async (): Promise<boolean> => {
    if (path === undefined) return false;
    setGeneral([]);
    try {
      const etag = editor.state === 'ready' ? editor.etag : undefined;
      await api.request('DELETE', path, { headers: etag === undefined ? {} : { 'if-match': etag } });
      return true;
    } catch (error) {
      setGeneral([error instanceof Error ? error.message : String(error)]);
      return false;
    }
  }, [editor, path]);

  return { editor, general, saving, save, remove, isNew: key === undefined };
}
