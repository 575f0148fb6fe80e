// Regenerates docs/cli.md and docs/error-codes.md from the code: `npm run generate`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliReferenceMarkdown } from '../src/cli-reference.js';
import { errorCodesMarkdown } from '../src/error-codes-reference.js';

const docs = (name: string) => fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url));
writeFileSync(docs('cli.md'), cliReferenceMarkdown());
writeFileSync(docs('error-codes.md'), errorCodesMarkdown());
console.log('wrote docs/cli.md and docs/error-codes.md');
