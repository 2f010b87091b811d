import { stringify } from 'yaml';
import type { ConfigSnapshot } from '../snapshot.js';
import { configDocumentOf } from './config-documents.js';

const header = `# Strowger configuration, exported by "strowger config export".
# Apply with "strowger config apply FILE". Secrets appear only as hashes: user passwords as scrypt
# hashes, SIP passwords as digest HA1 values for the realm below; replace one with a clear
# "password:" to change it.
`;

/** The configuration as YAML in the file's own shape, in a stable order, so exports diff cleanly. */
export function exportConfigYaml(snapshot: ConfigSnapshot): string {
  return header + stringify(configDocumentOf(snapshot, { secrets: true }), { lineWidth: 0 });
}
