import type { ConfigSnapshot } from '../snapshot.js';

/** What phones dial when the settings name no code of their own: CUCM-style star codes. */
export const defaultFeatureCodes = {
  extensionMobilityLoginCode: '*70',
  extensionMobilityLogoutCode: '*71',
} as const;

type FeatureCodeSetting = keyof typeof defaultFeatureCodes;

/** The feature codes in force: each one set in the settings, else its default. */
export function featureCodesOf(settings: ConfigSnapshot['settings']): Record<FeatureCodeSetting, string> {
  return {
    extensionMobilityLoginCode: settings.extensionMobilityLoginCode ?? defaultFeatureCodes.extensionMobilityLoginCode,
    extensionMobilityLogoutCode:
      settings.extensionMobilityLogoutCode ?? defaultFeatureCodes.extensionMobilityLogoutCode,
  };
}

/**
 * What is wrong with the feature codes a configuration sets: two features on one code, or a code that
 * is already a line, a hunt pilot, the conference or voicemail number or a call park number (a phone
 * dialling it could reach only one of them).
 */
export function featureCodeProblems(
  settings: Partial<Record<FeatureCodeSetting, string | undefined>>,
  numbers: ReadonlyArray<string | undefined>,
): string[] {
  const problems: string[] = [];
  const inForce = featureCodesOf(settings as ConfigSnapshot['settings']);
  if (inForce.extensionMobilityLoginCode === inForce.extensionMobilityLogoutCode) {
    problems.push(
      `settings.extensionMobilityLoginCode and extensionMobilityLogoutCode are both ${inForce.extensionMobilityLoginCode}; give login and logout codes of their own`,
    );
  }
  const taken = new Set(numbers.filter((number) => number !== undefined));
  for (const key of Object.keys(defaultFeatureCodes) as FeatureCodeSetting[]) {
    const code = settings[key];
    if (code !== undefined && taken.has(code)) {
      problems.push(
        `settings.${key}: ${code} is already a line, a hunt pilot, the conference, voicemail or a call park number; choose a code no other number uses`,
      );
    }
  }
  return problems;
}
