import { Button, Fieldset, MultiSelect, NumberInput, Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { withUnshownFields } from '../forms/merge';
import { useObjectEditor } from '../forms/use-object-editor';
import { FormFrame } from './form-frame';
import { PageHeader } from './page-header';
import { PagedList, type Column } from './paged-list';
import { useOptions } from './use-options';

type Check = (value: string) => string | null;

/** One field of a simple configuration object, as its form shows it. */
export type FieldSpec =
  | { kind: 'text'; name: string; label: string; check?: Check; required?: boolean; description?: string }
  | { kind: 'number'; name: string; label: string; min: number; max: number; description?: string }
  | {
      kind: 'choice';
      name: string;
      label: string;
      options: Array<{ value: string; label: string }>;
      description?: string;
    }
  | {
      kind: 'reference';
      name: string;
      label: string;
      /** The collection whose keys may be chosen, e.g. `hunt-lists`. */
      collection: string;
      keyName: string;
      many: boolean;
      required?: boolean;
      description?: string;
    };

/** A kind of configuration object with a plain form: hunt pilots, hunt lists, line groups, voicemail profiles. */
export interface ObjectSpec {
  collection: string;
  /** The page's path, e.g. `/hunt-pilots`. */
  path: string;
  keyName: string;
  title: string;
  noun: string;
  description: ReactNode;
  legend: string;
  fields: FieldSpec[];
  columns: Array<Column<Record<string, unknown>>>;
  help?: ReactNode;
}

type Values = Record<string, string | string[] | number | ''>;

function valuesOf(spec: ObjectSpec, object: Record<string, unknown> | undefined): Values {
  const values: Values = {};
  for (const field of spec.fields) {
    const value = object?.[field.name];
    if (field.kind === 'reference' && field.many) values[field.name] = Array.isArray(value) ? (value as string[]) : [];
    else if (field.kind === 'number') values[field.name] = typeof value === 'number' ? value : '';
    else values[field.name] = typeof value === 'string' ? value : '';
  }
  return values;
}

function documentOf(spec: ObjectSpec, values: Values): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const value = values[field.name];
    if (Array.isArray(value)) document[field.name] = value;
    else if (value !== '' && value !== undefined && value !== null) document[field.name] = value;
  }
  return document;
}

export function SpecListPage(props: { spec: ObjectSpec }) {
  const { spec } = props;
  const navigate = useNavigate();
  return (
    <>
      <PageHeader
        title={spec.title}
        description={spec.description}
        actions={<Button onClick={() => navigate(`${spec.path}/new`)}>Add {spec.noun}</Button>}
      />
      <PagedList<Record<string, unknown>>
        path={`/api/v1/${spec.collection}`}
        searchLabel={`Find ${spec.title.toLowerCase()}`}
        keyOf={(item) => String(item[spec.keyName])}
        onOpen={(item) => navigate(`${spec.path}/${encodeURIComponent(String(item[spec.keyName]))}`)}
        columns={spec.columns}
      />
    </>
  );
}

export function SpecEditPage(props: { spec: ObjectSpec }) {
  const { spec } = props;
  const { key: param } = useParams();
  const key = param === 'new' ? undefined : param;
  const navigate = useNavigate();
  const { editor, general, saving, save, remove, isNew } = useObjectEditor<Record<string, unknown>>(
    spec.collection,
    key,
  );
  const [saved, setSaved] = useState(false);
  const validate: Record<string, (value: unknown) => string | null> = {};
  for (const field of spec.fields) {
    if (field.kind === 'text') {
      validate[field.name] = (value) => {
        const text = String(value ?? '');
        if (field.required === true && text.trim() === '') return 'Required';
        return field.check?.(text) ?? null;
      };
    } else if (field.kind === 'reference' && field.required === true) {
      validate[field.name] = (value) =>
        (Array.isArray(value) ? value.length === 0 : value === '' || value === null) ? 'Required' : null;
    }
  }
  const form = useForm<Values>({ initialValues: valuesOf(spec, undefined), validateInputOnChange: true, validate });
  const loaded = editor.state === 'ready' ? editor.value : undefined;
  useEffect(() => {
    if (loaded !== undefined) form.setValues(valuesOf(spec, loaded));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a new version is loaded
  }, [loaded]);
  const names = spec.fields.map((field) => field.name);
  const submit = form.onSubmit(async (values) => {
    setSaved(false);
    const result = await save(withUnshownFields(loaded, names, documentOf(spec, values)), form, names, spec.keyName);
    if (result === undefined) return;
    setSaved(true);
    if (isNew) void navigate(`${spec.path}/${encodeURIComponent(String(result[spec.keyName]))}`, { replace: true });
  });
  return (
    <>
      <PageHeader title={isNew ? `Add ${spec.noun}` : `${spec.noun[0]!.toUpperCase()}${spec.noun.slice(1)} ${key}`} />
      <FormFrame
        editor={editor}
        general={general}
        saving={saving}
        isNew={isNew}
        saved={saved}
        onSubmit={submit}
        onBack={() => navigate(spec.path)}
        onDelete={async () => {
          if (window.confirm(`Delete ${spec.noun} ${key}?`) && (await remove())) void navigate(spec.path);
        }}
      >
        <Fieldset legend={spec.legend}>
          {spec.fields.map((field, index) => (
            <SpecField
              key={field.name}
              field={field}
              form={form}
              disabled={!isNew && field.name === spec.keyName}
              first={index === 0}
            />
          ))}
        </Fieldset>
        {spec.help}
      </FormFrame>
    </>
  );
}

function SpecField(props: {
  field: FieldSpec;
  form: ReturnType<typeof useForm<Values>>;
  disabled: boolean;
  first: boolean;
}) {
  const { field, form } = props;
  const common = {
    label: field.label,
    description: field.description,
    mt: props.first ? 0 : 'sm',
    ...form.getInputProps(field.name),
  };
  if (field.kind === 'text') return <TextInput {...common} required={field.required} disabled={props.disabled} />;
  if (field.kind === 'number') return <NumberInput {...common} min={field.min} max={field.max} w={260} />;
  if (field.kind === 'choice') return <Select {...common} data={field.options} clearable />;
  return <ReferenceField field={field} common={common} />;
}

function ReferenceField(props: { field: Extract<FieldSpec, { kind: 'reference' }>; common: Record<string, unknown> }) {
  const { field } = props;
  const options = useOptions<Record<string, unknown>>(field.collection, (item) => {
    const key = String(item[field.keyName]);
    return { value: key, label: typeof item.description === 'string' ? `${key} — ${item.description}` : key };
  });
  if (field.many) {
    return <MultiSelect {...props.common} data={options} searchable clearable required={field.required} />;
  }
  return (
    <Select
      {...props.common}
      data={options}
      searchable
      clearable
      required={field.required}
      value={(props.common.value as string) === '' ? null : (props.common.value as string)}
    />
  );
}
