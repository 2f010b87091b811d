/**
 * Writes docs/cti-asyncapi.json from the protocol's schemas. A test fails when the committed file
 * differs from what this writes, so run it after changing a schema: `npm run asyncapi -w @strowger/protocol`.
 */
import { writeFileSync } from 'node:fs';
import { asyncApiDocument } from '../src/asyncapi.js';

const target = new URL('../../../docs/cti-asyncapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(asyncApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
