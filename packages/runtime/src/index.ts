// Public entry of @pipectl/runtime: Temporal workflows, activities, worker and client helpers.

export { findFreePort } from './dev-server/free-port.js';
export {
  type DevServer,
  DevServerStartError,
  type SearchAttributeKind,
  type StartDevServerOptions,
  startDevServer,
} from './dev-server/start-dev-server.js';
export {
  type FindTemporalBinaryOptions,
  findTemporalBinary,
  INSTALL_TEMPORAL_COMMAND,
  TEMPORAL_BIN_ENV,
  TemporalBinaryNotFoundError,
} from './dev-server/temporal-binary.js';
