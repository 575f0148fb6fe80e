// Writes what the architecture rules generate: the workflow wall's override in biome.json and the
// package map and wall in docs/contributing.md. Run through `npm run generate` from the root.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeWorkflowOverride } from '../src/biome-config.js';
import {
  CONTRIBUTING_DOC,
  packageMapMarkdown,
  replaceGenerated,
  workflowWallMarkdown,
} from '../src/generated-docs.js';
import { biomeWallOverride, computeWorkflowWall } from '../src/workflow-wall.js';
import { REPOSITORY_ROOT, readWorkspace } from '../src/workspace.js';

const wall = computeWorkflowWall(REPOSITORY_ROOT);
writeWorkflowOverride(REPOSITORY_ROOT, biomeWallOverride(wall));

const docPath = join(REPOSITORY_ROOT, CONTRIBUTING_DOC);
let doc = readFileSync(docPath, 'utf8');
doc = replaceGenerated(doc, 'package-map', packageMapMarkdown(readWorkspace(REPOSITORY_ROOT)));
doc = replaceGenerated(doc, 'workflow-wall', workflowWallMarkdown(wall));
writeFileSync(docPath, doc);
console.log(
  `wrote biome.json (workflow wall: ${wall.builtins.length} builtins, ${wall.packages.length} packages) and ${CONTRIBUTING_DOC}`,
);
