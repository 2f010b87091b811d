/** The values a screen-pop URL template may name, each written `{name}` in the template. */
export interface PopFields {
  /** The calling number (who rings). */
  readonly calling: string;
  /** The caller's name as its phone or trunk gave it; empty when it gave none. */
  readonly callingName: string;
  /** The number that was dialled. */
  readonly called: string;
  /** The user the provider is opened for. */
  readonly user: string;
  /** The device that rings. */
  readonly device: string;
  /** The line (directory number) that rings — differs from `called` after forwarding. */
  readonly line: string;
  /** The call's id, unique across server restarts. */
  readonly callId: string;
}

const FIELD = /\{(\w+)\}/g;
const names: readonly (keyof PopFields)[] = ['calling', 'callingName', 'called', 'user', 'device', 'line', 'callId'];

/** Checks a template names only known fields; returns the problem for the command line to report. */
export function templateProblem(template: string): string | undefined {
  for (const match of template.matchAll(FIELD)) {
    const name = match[1] as string;
    if (!(names as readonly string[]).includes(name))
      return `the URL template names {${name}}, which is not one of ${names.map((n) => `{${n}}`).join(', ')}`;
  }
  return undefined;
}

/** Fills `{name}` placeholders, each value URL-encoded (a template is a URL). */
export function fillTemplate(template: string, fields: PopFields): string {
  return template.replace(FIELD, (whole, name: string) =>
    (names as readonly string[]).includes(name) ? encodeURIComponent(fields[name as keyof PopFields]) : whole,
  );
}
