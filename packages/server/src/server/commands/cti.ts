import { Option, type Command } from 'commander';
import type { AccessExplanation, UserAccessReportView } from '../../admin/index.js';
import { addServerOptions, requireServer, type ServerTarget } from './server-api.js';

interface ExplainOptions extends ServerTarget {
  user: string;
  kind?: string;
  device?: string;
  line?: string;
  acquired?: string;
  json?: boolean;
}

/** `strowger cti explain`: the access explainer of a running server, as a table or as its JSON. */
export function registerCtiCommands(program: Command): void {
  const cti = program.command('cti').description('CTI access: who may observe and control what');
  addServerOptions(cti.command('explain'))
    .description(
      'explain CTI access: for one user and one device or line, may it observe and control it and which rules decided; for one user, which of its CTI settings are needed (asks the running server)',
    )
    .requiredOption('--user <id>', 'the end user or application user')
    .addOption(
      new Option('--kind <kind>', 'which user, when an end user and an application user share the id').choices([
        'end-user',
        'application-user',
      ]),
    )
    .option('--device <name>', 'a device (terminal)')
    .option('--line <dn>', 'a directory number; with --device, that appearance')
    .option('--acquired <names>', 'comma-separated devices to treat as acquired by name (createTerminal)')
    .option('--json', 'print the JSON answer instead of a table')
    .action(async (options: ExplainOptions) => {
      const server = requireServer(options, 'the access explainer');
      const answer = await server.json<AccessExplanation | UserAccessReportView>('GET', '/api/v1/cti/explain', {
        query: {
          user: options.user,
          kind: options.kind,
          device: options.device,
          line: options.line,
          acquired: options.acquired,
        },
      });
      if (options.json === true) console.log(JSON.stringify(answer, null, 2));
      else console.log('rules' in answer ? formatAccessExplanation(answer) : formatUserAccessReport(answer));
    });
}

/** The verdict in a sentence, then every rule in the order it was checked. */
export function formatAccessExplanation(answer: AccessExplanation): string {
  const rows = answer.rules.map((rule) => [
    rule.setting,
    rule.subject,
    valueText(rule.setting, rule.value),
    rule.effect,
    rule.sentence,
  ]);
  const parts = [
    answer.summary,
    '',
    table(['SETTING', 'SUBJECT', 'VALUE', 'EFFECT', 'WHY'], rows),
    '',
    `observe: ${yesNo(answer.observe)}   control: ${yesNo(answer.control)}   error code: ${answer.code ?? 'none'}`,
  ];
  if (answer.decidedBy !== null) parts.push(`decided by: ${answer.decidedBy.setting} ${answer.decidedBy.subject}`);
  const features = Object.entries(answer.features)
    .filter(([, allowed]) => allowed)
    .map(([feature]) => feature);
  parts.push(`role-gated features allowed: ${features.join(', ') || 'none'}`);
  if (answer.appearances !== undefined && answer.appearances.length > 1) {
    parts.push(
      '',
      table(
        ['APPEARANCE', 'OBSERVE', 'CONTROL', 'CODE'],
        answer.appearances.map((a) => [a.device, yesNo(a.observe), yesNo(a.control), a.code ?? '-']),
      ),
    );
  }
  return parts.join('\n');
}

/** What the user reaches, then every setting with whether it is needed. */
export function formatUserAccessReport(report: UserAccessReportView): string {
  const who = `${report.user.kind === 'end-user' ? 'End user' : 'Application user'} ${report.user.userId}`;
  const { reach } = report;
  const head = report.mayOpenProvider
    ? `${who} may open a provider; its domain has ${reach.terminals} terminal(s) (${reach.observableTerminals} observable) and ${reach.addresses} address(es) (${reach.observableAddresses} observable).`
    : `${who} may not open a provider (${report.refusal?.code ?? ''}): ${report.refusal?.reason ?? ''}`;
  const rows = report.settings.map((s) => [s.setting, s.subject, valueText(s.setting, s.value), s.status, s.sentence]);
  return [
    head,
    '',
    rows.length === 0 ? 'no CTI settings' : table(['SETTING', 'SUBJECT', 'VALUE', 'STATUS', 'WHY'], rows),
    '',
    `unneeded: ${report.unneeded.map((s) => `${s.setting} ${s.subject}`).join('; ') || 'none'}`,
  ].join('\n');
}

const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');
/** Group membership and association read yes/no; the three flags read on/off, as on CUCM's pages. */
const valueText = (setting: string, value: boolean | null) =>
  value === null ? '-' : setting.endsWith('-flag') ? (value ? 'on' : 'off') : yesNo(value);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  // The last column holds sentences; it is not padded.
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
