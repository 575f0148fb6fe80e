// @pipectl/cli: the pipectl command line as a library (for tests and embedding).
export { EXIT, type ExitCode } from './exit-codes.js';
export { bufferTerminal, processTerminal, type Terminal } from './io/terminal.js';
export { INTERNAL_ERROR, main } from './main.js';
export { buildProgram, VERSION } from './program.js';
