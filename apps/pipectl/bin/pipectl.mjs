#!/usr/bin/env node
// The pipectl executable: runs the compiled CLI, linked into a few files in dist/bundle/ (`tsc -b`,
// then scripts/bundle.mjs; in the repository `npm start`, `npm test` and `npm run build` build it,
// nx skipping what has not changed). No TypeScript is compiled at start-up. To run the sources
// instead (while changing them, without a build):
//   node --conditions=@pipectl/source --import tsx apps/pipectl/src/cli.ts <command>
let main;
try {
  ({ main } = await import('../dist/bundle/main.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/')) throw error;
  process.stderr.write(
    `error: pipectl is not built (${error.message.split('\n')[0]})\n` +
      '  = help: build it from the repository root with `npm run build` (or `npm start`), then run again\n',
  );
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2));
