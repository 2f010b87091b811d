import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';

/** Route point vs port, in a few sentences (docs/concepts.md has the long version). */
export const routePointVsPort = (
  <>
    A <b>CTI route point</b> is a virtual device that holds many calls at once without media: each call offered to it
    asks the application where it should go, and if the application does not answer in time, the line's forwarding
    applies. A <b>CTI port</b> is a virtual phone with one line and one call at a time, whose media the application
    terminates (an IVR's prompts, a recorder); it is in service only while an application has it open. Route points
    decide, ports talk: an IVR typically owns one route point and as many ports as the calls it serves at once.
  </>
);

/** What each CTI setting does, as the explainer judges it. */
export const ctiPermissionHelp: Array<{ name: string; text: ReactNode }> = [
  {
    name: 'Standard CTI Enabled (group)',
    text: 'Every CTI user needs it to open a provider at all (else LOGIN_NOT_ALLOWED). It grants no device by itself.',
  },
  {
    name: 'Standard CTI Allow Control of All Devices (group)',
    text: 'A superprovider: the application may acquire any device by name (createTerminal) and then observe and control it. It adds nothing to the domain until it does, and it lifts no restriction.',
  },
  {
    name: 'Controlled devices ("Device Information")',
    text: "The usual grant: each device in the list, with all its lines (shared lines included), is in the user's domain. There is no per-line association.",
  },
  {
    name: 'Allow Control of Device from CTI (device)',
    text: 'A restriction, not a grant: switched off, the device and its lines are restricted for every user, the superprovider too (DEVICE_RESTRICTED).',
  },
  {
    name: 'Allow Control from CTI (directory number)',
    text: 'The same switch for one line, on every device it appears on (LINE_RESTRICTED).',
  },
  {
    name: 'Extension Mobility "Allow Control of Device from CTI"',
    text: "While an end user is logged in on a phone, the user's and the device profile's flags stand in for the phone's own; with nobody logged in they make no difference.",
  },
];

export function HelpNote(props: { title: string; children: ReactNode }) {
  return (
    <Alert variant="light" color="blue" title={props.title}>
      {props.children}
    </Alert>
  );
}
