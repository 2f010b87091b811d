import { Type, type Static } from '@sinclair/typebox';
import type { AccessVerdict, CtiUser, UserAccessReport } from '../cti/index.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const SettingSchema = literals([
  'access-control-group',
  'controlled-device',
  'device-cti-flag',
  'line-cti-flag',
  'extension-mobility-flag',
] as const);

export const AccessRuleSchema = Type.Object({
  setting: SettingSchema,
  subject: Type.String({ description: "The group's, device's or line's name, or the end user's id." }),
  value: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'Member / associated / flag on; null when it does not apply.',
  }),
  effect: literals(['grants', 'blocks', 'required', 'no-effect'] as const),
  sentence: Type.String(),
});

const UserRefSchema = Type.Object({
  userId: Type.String(),
  kind: literals(['end-user', 'application-user'] as const),
});

const FeaturesSchema = Type.Object({
  'call-monitoring': Type.Boolean(),
  'call-recording': Type.Boolean(),
  'call-park-monitoring': Type.Boolean(),
  'calling-number-modification': Type.Boolean(),
  'srtp-key-material': Type.Boolean(),
});

const AppearanceSchema = Type.Object({
  device: Type.String(),
  observe: Type.Boolean(),
  control: Type.Boolean(),
  code: Nullable(Type.String()),
  decidedBy: AccessRuleSchema,
});

/** The explainer's answer for one device, one line, or one device–line appearance. */
export const AccessExplanationSchema = Type.Object({
  user: UserRefSchema,
  device: Nullable(Type.String()),
  line: Nullable(Type.String()),
  observe: Type.Boolean(),
  control: Type.Boolean(),
  /** The stable error code an observe or control request would fail with; null when allowed. */
  code: Nullable(Type.String()),
  summary: Type.String(),
  mayOpenProvider: Type.Boolean(),
  inDomain: Type.Boolean(),
  restricted: Type.Boolean(),
  acquirable: Type.Boolean(),
  source: Nullable(Type.String()),
  decidedBy: Type.Union([AccessRuleSchema, Type.Null()]),
  rules: Type.Array(AccessRuleSchema),
  features: FeaturesSchema,
  /** For a line: every device it appears on, judged. */
  appearances: Type.Optional(Type.Array(AppearanceSchema)),
});

export type AccessExplanation = Static<typeof AccessExplanationSchema>;

const AssessmentSchema = Type.Object({
  setting: SettingSchema,
  subject: Type.String(),
  value: Type.Boolean(),
  status: literals(['needed', 'unneeded', 'blocking', 'feature'] as const),
  sentence: Type.String(),
});

/** The explainer's per-user report. */
export const UserAccessReportSchema = Type.Object({
  user: UserRefSchema,
  mayOpenProvider: Type.Boolean(),
  refusal: Type.Optional(Type.Object({ code: Type.String(), reason: Type.String() })),
  reach: Type.Object({
    terminals: Type.Integer(),
    observableTerminals: Type.Integer(),
    addresses: Type.Integer(),
    observableAddresses: Type.Integer(),
  }),
  settings: Type.Array(AssessmentSchema),
  needed: Type.Array(AssessmentSchema),
  unneeded: Type.Array(AssessmentSchema),
});

export type UserAccessReportView = Static<typeof UserAccessReportSchema>;

const noFeatures = {
  'call-monitoring': false,
  'call-recording': false,
  'call-park-monitoring': false,
  'calling-number-modification': false,
  'srtp-key-material': false,
};

export function accessExplanationFrom(
  user: CtiUser,
  verdict: AccessVerdict | undefined,
  target: { device?: string; line?: string },
  appearances?: readonly AccessVerdict[],
): AccessExplanation {
  const userRef = { userId: user.userId, kind: user.kind };
  const lineView =
    appearances === undefined
      ? {}
      : {
          appearances: appearances.map((a) => ({
            device: a.device,
            observe: a.mayObserve,
            control: a.mayControl,
            code: a.code ?? null,
            decidedBy: { ...a.decidedBy },
          })),
        };
  if (verdict === undefined) {
    // A line on no device: nothing to judge, and nothing a provider could reach.
    return {
      user: userRef,
      device: null,
      line: target.line ?? null,
      observe: false,
      control: false,
      code: 'ACCESS_TO_DEVICE_DENIED',
      summary: `Line ${target.line ?? ''} appears on no device, so no provider reaches it.`,
      mayOpenProvider: false,
      inDomain: false,
      restricted: false,
      acquirable: false,
      source: null,
      decidedBy: null,
      rules: [],
      features: noFeatures,
      ...lineView,
    };
  }
  const what = verdict.line === undefined ? verdict.device : `line ${verdict.line} on ${verdict.device}`;
  const who = `${user.kind === 'end-user' ? 'End user' : 'Application user'} ${user.userId}`;
  return {
    user: userRef,
    device: target.device ?? (target.line === undefined ? verdict.device : null),
    line: target.line ?? null,
    observe: verdict.mayObserve,
    control: verdict.mayControl,
    code: verdict.code ?? null,
    summary: verdict.mayObserve
      ? `${who} may observe and control ${what}.`
      : `${who} may not observe or control ${what} (${verdict.code ?? ''}): ${verdict.decidedBy.sentence}`,
    mayOpenProvider: verdict.mayOpenProvider,
    inDomain: verdict.inDomain,
    restricted: verdict.restricted,
    acquirable: verdict.acquirable,
    source: verdict.source ?? null,
    decidedBy: { ...verdict.decidedBy },
    rules: verdict.rules.map((rule) => ({ ...rule })),
    features: { ...verdict.features },
    ...lineView,
  };
}

export function userAccessReportFrom(report: UserAccessReport): UserAccessReportView {
  return {
    user: { userId: report.userId, kind: report.kind },
    mayOpenProvider: report.mayOpenProvider,
    ...(report.refusal === undefined ? {} : { refusal: { ...report.refusal } }),
    reach: { ...report.reach },
    settings: report.settings.map((s) => ({ ...s })),
    needed: report.needed.map((s) => ({ ...s })),
    unneeded: report.unneeded.map((s) => ({ ...s })),
  };
}
