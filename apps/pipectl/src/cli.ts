// The CLI from its TypeScript sources, for development without a build (the shipped bin runs the
// compiled dist/main.js instead):
//   node --conditions=@pipectl/source --import tsx apps/pipectl/src/cli.ts <command>
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
