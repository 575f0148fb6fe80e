#!/usr/bin/env node
// The pipectl executable. The workspace ships TypeScript sources; tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
