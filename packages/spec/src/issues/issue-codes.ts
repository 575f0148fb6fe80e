// The catalog of issue codes. Codes are stable: once shipped, a code keeps its meaning forever,
// so people can search for it. docs/error-codes.md is generated from this table.
//
// PIPE1xxx  reading one document (YAML, schema, rules inside one file)
// PIPE2xxx  resolving a project (references between files, names, cycles)
// PIPE3xxx  SQL and column lineage
// PIPE7xxx  interop: ODCS, dbt, OpenLineage

export interface IssueCodeInfo {
  readonly title: string;
  /** What to do about it, in one or two sentences. */
  readonly help: string;
}

export const ISSUE_CODES = {
  PIPE1001: {
    title: 'YAML syntax error',
    help: 'Fix the YAML at the position shown: check indentation, colons and quotes.',
  },
  PIPE1002: {
    title: 'Empty file',
    help: 'Write a Contract or Pipeline document, or delete the file. `pipectl init` creates examples.',
  },
  PIPE1003: {
    title: 'Not a pipectl document',
    help: 'Start the document with `apiVersion: pipectl/v1` and `kind: Contract`, `kind: Pipeline` or `kind: Project`.',
  },
  PIPE1004: {
    title: 'Unknown key',
    help: 'Remove the key or correct its spelling; the message lists the keys allowed here.',
  },
  PIPE1005: {
    title: 'Wrong type',
    help: 'Write a value of the expected type (quote strings that look like numbers or booleans).',
  },
  PIPE1006: { title: 'Missing required field', help: 'Add the field named in the message.' },
  PIPE1007: {
    title: 'Invalid value',
    help: 'Use one of the allowed values or the format the message shows.',
  },
  PIPE1008: {
    title: 'Duplicate name',
    help: 'Names must be unique in their list: rename or remove one of them.',
  },
  PIPE1009: {
    title: 'Invalid column type',
    help: 'Use a DuckDB type such as integer, bigint, decimal(12,2), varchar, date, timestamp, varchar[].',
  },
  PIPE1010: {
    title: 'Conflicting fields',
    help: 'Keep exactly one of the fields named, or make them agree.',
  },
  PIPE1011: {
    title: 'Unknown column in this contract',
    help: 'Name a column the contract declares under `columns`.',
  },
  PIPE1012: {
    title: 'More than one document in a file',
    help: 'Put each contract or pipeline in its own file (no `---` separators).',
  },
  PIPE1013: {
    title: 'Unreadable file or folder',
    help: 'Check that the path exists and is readable by the user running pipectl.',
  },
  PIPE1014: {
    title: 'File name does not match its kind',
    help: 'Name contract files `*.contract.yaml` and pipeline files `*.pipeline.yaml` so tools and editors find them.',
  },
  PIPE1015: {
    title: 'Not UTF-8 text',
    help: 'Save contracts and pipelines as UTF-8 text; remove NUL bytes and other control characters (tabs and line breaks are fine).',
  },
  PIPE1016: {
    title: 'Invalid cron expression',
    help: 'Write five fields, minute hour day-of-month month day-of-week (e.g. `0 6 * * *`), each within its range, or @hourly, @daily, @weekly, @monthly, @yearly.',
  },
  PIPE1017: {
    title: 'Unknown time zone',
    help: 'Write an IANA time zone name exactly as the tz database spells it, e.g. `Europe/Berlin` or `UTC`.',
  },
  PIPE1018: {
    title: "Check does not fit its column's type",
    help: 'Use the check on a column of a type it can judge (freshness: date or timestamp; numeric min/max: a number column), or change the column type.',
  },
  PIPE1030: {
    title: 'Secret written in pipectl.yaml',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
    help: 'Read secrets from environment variables: write `password=${PGPASSWORD}` (or leave the password out: libpq reads PGPASSWORD and ~/.pgpass), set the variable where pipectl runs, and rotate the password that was committed.',
  },
  PIPE1031: {
    title: 'Unknown target',
    help: 'Name a target listed under `targets:` in pipectl.yaml (or `default`, the top-level warehouse and temporal), or add the target there.',
  },
  PIPE1050: {
    title: 'Selector syntax error',
    help: 'Write selectors as dbt does: `+dataset`, `dataset+`, `2+dataset`, `@dataset`, `tag:x`, `owner:x`, `path:x`, `pipeline:x`; spaces make a union, commas an intersection. See docs/reference/selectors.md.',
  },
  PIPE1051: {
    title: 'Selector matches nothing',
    help: 'Check the spelling against `pipectl lineage` (datasets) or the contracts (tags, owners); a selector that matches nothing is reported, never ignored.',
  },
  PIPE2001: {
    title: 'Duplicate dataset',
    help: 'Two contracts declare the same `name`: each dataset has exactly one contract.',
  },
  PIPE2002: { title: 'Duplicate pipeline', help: 'Two pipelines share a `name`: rename one of them.' },
  PIPE2003: {
    title: 'Unknown contract',
    help: 'Name an existing contract (`schema.table`) or add its `*.contract.yaml`.',
  },
  PIPE2004: {
    title: 'Unknown ref()',
    help: 'ref() takes a step of the same pipeline or a dataset produced by some pipeline.',
  },
  PIPE2005: {
    title: 'Unknown source()',
    help: "source() takes the `name` of one of the pipeline's `sources`.",
  },
  PIPE2006: {
    title: 'Cycle',
    help: 'Steps or pipelines depend on each other in a loop: break it by removing one of the refs shown.',
  },
  PIPE2007: { title: 'Dataset produced twice', help: 'Each dataset is produced by one step or source only.' },
  PIPE2008: {
    title: 'Unknown referenced column',
    help: 'The `references` target must be a column of the referenced contract.',
  },
  PIPE2009: {
    title: 'SQL file not found',
    help: 'Check the `sqlFile` path; it is relative to the pipeline file.',
  },
  PIPE2011: {
    title: 'Source path outside the project',
    help: 'A file source reads inside the project directory (no `..` out of it, no absolute path elsewhere, no symlink pointing out, no /proc or /dev): move or link the data into the project, or list its folder under `sandbox.readable` in pipectl.yaml. See docs/security.md.',
  },
  PIPE2010: {
    title: 'No project found',
    help: 'Run pipectl in a project directory (with pipectl.yaml, contracts/ or pipelines/) or pass its path.',
  },
  PIPE2012: {
    title: 'Folder outside the project',
    help: '`contracts` and `pipelines` in pipectl.yaml are folders inside the project directory, written relative to it.',
  },
  PIPE2013: {
    title: 'Folder too large to scan',
    help: 'Point `contracts` or `pipelines` in pipectl.yaml at the folder that holds the documents, not at a large tree.',
  },
  PIPE2030: {
    title: 'Environment variable of a target not set',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
    help: 'A target reads `${VAR}` from the environment and VAR is not set: set it for every process that uses the target (a warning at validate, an error when the target is used).',
  },
  PIPE2031: {
    title: 'Allowed-signers file missing',
    help: "`approvals.signatures: required` needs the approvers' public keys: create the file `approvals.allowedSigners` names (default `allowed_signers`), one line per approver: `alice ssh-ed25519 AAAA…` (the public key from `~/.ssh/id_ed25519.pub`).",
  },
  PIPE2032: {
    title: 'Allowed-signers line malformed',
    help: "Write each line as `<principals> [options] ssh-ed25519 <base64 key>`, principals separated by commas, as git's gpg.ssh.allowedSignersFile does; `#` starts a comment.",
  },
  PIPE2033: {
    title: 'Signing key type not supported',
    help: 'Approvals are signed with SSH ed25519 keys only: create one with `ssh-keygen -t ed25519` and list its public key.',
  },
  PIPE2034: {
    title: 'Approver without a signing key',
    help: "With `approvals.signatures: required`, an approver listed in a contract but not in the allowed-signers file cannot decide: add a line for them, or remove them from the contract's `approvers`.",
  },
  PIPE2035: {
    title: 'Allowed-signers file outside the project',
    help: '`approvals.allowedSigners` is a file inside the project directory, written relative to pipectl.yaml, so it is read from the same revision as the contracts.',
  },
  PIPE2036: {
    title: 'Two targets share a task queue',
    help: "Two targets of pipectl.yaml write different warehouses but name the same Temporal address, namespace and task queue, so a worker started for one would take the other's runs and write them to its own warehouse. Give each target its own `temporal.taskQueue` (e.g. `pipectl-<project>-<target>`) or its own namespace.",
  },
  PIPE2040: {
    title: 'Unknown pipeline',
    help: 'Name a pipeline of the project as its `name:` says; `pipectl lineage` and the pipeline files list them.',
  },
  PIPE2041: {
    title: 'Selection outside the pipeline',
    help: 'The selected datasets are written by other pipelines than the one named: drop the pipeline, or select its datasets (`pipeline:<name>`).',
  },
  PIPE2042: {
    title: 'Target named without a project file',
    help: 'A target was named (`--target`), but the directory has no valid pipectl.yaml to define it: run from the project directory (`-p <dir>`), or add the target under `targets:` in pipectl.yaml.',
  },
  PIPE3001: {
    title: 'SQL does not parse',
    help: "Fix the SQL at the position shown; DuckDB's parser reports the error.",
  },
  PIPE3002: {
    title: 'Unknown table in SQL',
    help: "Read inputs through {{ ref('...') }} or {{ source('...') }}, not by table name.",
  },
  PIPE3003: {
    title: 'Unknown column in SQL',
    help: "The column is not in the input's contract: correct it or add it to the contract.",
  },
  PIPE3004: {
    title: 'Contract column missing from step output',
    help: 'Select every column the produced contract declares.',
  },
  PIPE3005: {
    title: 'Step output column not in contract',
    help: 'Add the column to the contract or drop it from the SELECT.',
  },
  PIPE3006: {
    title: 'Not a single SELECT',
    help: "A step's SQL is one SELECT (CTEs allowed); DDL and DML are not allowed.",
  },
  PIPE3007: {
    title: 'Lineage incomplete',
    help: 'pipectl could not trace some output columns to inputs; lineage for them is partial.',
  },
  PIPE3008: {
    title: 'Unsupported template expression',
    help: "SQL templates support exactly {{ ref('name') }} and {{ source('name') }}; remove or fix any other {{ ... }}.",
  },
  PIPE3009: {
    title: 'Ambiguous column in SQL',
    help: 'Two inputs have a column of this name: qualify it with its table alias, e.g. o.customer_id.',
  },
  PIPE3010: {
    title: 'Unnamed output column',
    help: "Name every computed column of a step's SELECT with AS, e.g. `sum(amount) AS total_amount`.",
  },
  PIPE3011: {
    title: 'SQL reads outside the declared sources',
    help: "Step SQL and sql checks read only {{ ref('...') }} and {{ source('...') }}: declare the file or database as a pipeline source instead of calling read_csv(), read_text(), glob() and the like. See docs/security.md.",
  },
  PIPE3012: {
    title: 'Output column type differs from the contract',
    help: "The step's SELECT produces a type the contract does not declare, and a run would refuse to publish it: cast the column in the SELECT, or declare the produced type in the contract.",
  },
  PIPE3013: {
    title: 'Unknown SQL function',
    help: 'DuckDB has no function of this name (or none for these argument types): correct the name, or cast the arguments.',
  },
  PIPE3014: {
    title: 'SQL does not bind',
    help: "DuckDB parsed the SQL but cannot bind it against the inputs' declared schemas (a type error, a GROUP BY problem, ...): fix the SQL at the position shown.",
  },
  // PIPE5xxx engine
  // PIPE51xx extraction: reading the sources a pipeline declares into the warehouse.
  PIPE5101: {
    title: 'Source file not found',
    help: 'Check the source `path`: it is relative to the project directory, and a glob must match at least one file.',
  },
  PIPE5102: {
    title: 'Source file unreadable',
    help: 'Make the file readable by the user running pipectl, and check it is a file of the declared kind (not a folder).',
  },
  PIPE5103: {
    title: 'Malformed CSV row',
    help: 'Fix the rows shown, or the source options (`delimiter`, `quote`, `header`, `nullValues`, `dateFormat`, `timestampFormat`).',
  },
  PIPE5104: {
    title: 'Every JSON record rejected',
    help: 'No record of the source satisfies its contract: check that `path` and `contract` are the right pair; the reasons name the columns.',
  },
  PIPE5105: {
    title: 'Source value does not fit the contract type',
    help: "Change the column's type in the contract, or cast the value in the source (a `query` for PostgreSQL).",
  },
  PIPE5106: {
    title: 'PostgreSQL server unreachable',
    help: 'Check that the server is running and that host and port in the source `url` are right.',
  },
  PIPE5107: {
    title: 'PostgreSQL login refused',
    help: 'Check the user, password and database in the source `url` (or the environment variable it reads).',
  },
  PIPE5108: {
    title: 'PostgreSQL query failed',
    help: "Fix the `table` or `query` of the source: the server's message names the problem.",
  },
  PIPE5109: {
    title: 'Source configuration incomplete',
    help: 'Set the environment variable the source `url` reads, or correct the source fields shown.',
  },
  PIPE5110: {
    title: 'Malformed JSON file',
    help: 'The file does not parse as JSON at the position shown: fix it, or set `format: ndjson` for one record per line.',
  },
  PIPE5111: {
    title: 'Source path outside the project',
    help: 'The engine reads file sources inside the project directory or the folders listed under `sandbox.readable` in pipectl.yaml only; `pipectl validate` names the path to fix. See docs/security.md.',
  },
  // PIPE52xx the warehouse itself.
  PIPE5201: {
    title: 'Warehouse file locked by another program',
    help: 'Close the other session the message names (a DuckDB shell or notebook with the file open, or a second worker on it); runs wait up to --lock-wait seconds, then retry.',
  },
  PIPE5202: {
    title: 'Lakehouse commit conflict',
    help: 'Another process committed to the same dataset at the same moment, so this commit was refused whole (nothing of it landed). Run it again: the runtime retries it by itself.',
  },
  PIPE5203: {
    title: 'Lakehouse catalog cannot be attached',
    help: "Check the target's `warehouse.catalog`: the PostgreSQL server is running and reachable, the database exists, and the password variable it reads is set; or the catalog file's folder is writable.",
  },
  PIPE5204: {
    title: 'DuckDB extension not installed',
    help: "In the pipectl repository run `bash scripts/install-duckdb-extensions.sh` (DuckDB's signed extensions into .tools/). With pipectl installed from npm, unzip the PyPI wheels `duckdb-ext-<name>==1.4.4.20260205` and set PIPECTL_DUCKDB_EXTENSIONS to their `duckdb_ext/extensions` folder, or copy it to <project>/.tools/duckdb/extensions (docs/installing.md).",
  },
  PIPE5205: {
    title: 'PIPECTL_DUCKDB_THREADS is not a number of threads',
    help: 'PIPECTL_DUCKDB_THREADS sets the threads of every DuckDB instance pipectl opens in this process: a whole number from 1. Unset, DuckDB uses one per core. Small steps, or several workers on one machine, run with less CPU at 1 (docs/deploying.md).',
  },
  // PIPE5215-5219 `pipectl verify`: reading published data read-only.
  PIPE5215: {
    title: 'Warehouse file being written by another process',
    help: 'DuckDB lets no other process read a database file while one writes it, so verify cannot open it: stop the worker or session the message names (`pipectl worker`, `pipectl dev`, a DuckDB shell), then run verify again; a lakehouse target can be verified while workers run.',
  },
  PIPE5216: {
    title: 'Nothing published to verify',
    help: "The target's warehouse (DuckDB file or DuckLake catalog) does not exist yet: run a pipeline on that target first, or name the target that holds the data with --target.",
  },
  PIPE5217: {
    title: 'Table to verify cannot be read',
    help: 'Check what --table names: an existing DuckDB database file, or a PostgreSQL URL whose server is reachable, whose login works and whose `#schema.table` exists; the message says which failed.',
  },
  PIPE5218: {
    title: 'PostgreSQL value not readable as its type',
    help: 'A value of the PostgreSQL table does not convert to the DuckDB type of its column (a numeric NaN for a decimal, say); the message names the column. Fix the value, or cast the column in a view and verify the view.',
  },
  PIPE5220: {
    title: 'No step produces the restored dataset',
    help: 'A restore republishes a dataset through the step that produces it; datasets that sources land have no such step. Restore a dataset a step `produces` (`pipectl lineage --format json` lists them).',
  },
  PIPE5221: {
    title: 'No such version to restore',
    help: 'Versions are numbered from 1, oldest first, as `pipectl history <dataset>` lists them (on the same `--target`): pick one of those.',
  },
  PIPE5222: {
    title: 'Version has no snapshot to restore',
    help: 'Only a lakehouse keeps earlier versions as snapshots; the embedded DuckDB file keeps only the current data. Use a DuckLake target (docs/deploying.md) to restore.',
  },
  // PIPE4xxx compatibility: `pipectl check` against a git base, and `pipectl diff`.
  PIPE4001: {
    title: 'Base revision not found',
    help: 'Fetch the base first (`git fetch origin main`); in GitHub Actions check out with `fetch-depth: 0`.',
  },
  PIPE4002: {
    title: 'Not a git repository',
    help: 'Run `pipectl check` inside a clone of the repository, or pass `-p` with a project inside one.',
  },
  PIPE4003: {
    title: 'Contract invalid at the base',
    help: 'The base version does not load, so its changes cannot be judged; the head version is still checked in full.',
  },
  PIPE4004: {
    title: 'Project outside the repository',
    help: 'Pass a project directory inside the git repository the command runs in.',
  },
  PIPE4005: {
    title: 'File skipped: binary or too large',
    help: 'Save contracts and pipelines as UTF-8 text under 1 MiB; a skipped file is not compared.',
  },
  PIPE4006: {
    title: 'git failed',
    help: 'Install git, or run the git command shown by hand to see what is wrong.',
  },
  PIPE4007: {
    title: 'Not a contract',
    help: '`pipectl diff` compares two versions of one contract: pass two `*.contract.yaml` files.',
  },
  PIPE4008: {
    title: 'Unknown rule in the review policy',
    help: 'Name a rule id from docs/compatibility.md (e.g. `PATTERN_CHANGED`) or a rule class (`dataset`, `field`, `type`, `constraint`, `key`, `relationship`, `classification`, `quality`, `sla`, `metadata`) under `compatibility.review.rules` in pipectl.yaml.',
  },
  PIPE4009: {
    title: 'Reads a removed contract',
    help: 'Something in the project still reads a dataset whose contract this change removes: the removal is breaking. Move the readers to the replacement first, or keep the contract (deprecate it with a date, then remove it).',
  },
  // PIPE6xxx runtime (Temporal)
  PIPE6001: {
    title: 'Temporal dev server not built',
    help: 'In the pipectl repository run `bash scripts/install-temporal.sh` (it builds the server from its Go module). With pipectl installed from npm, build it into the project: `GOBIN=$PWD/.tools/bin CGO_ENABLED=0 go install github.com/temporalio/cli/cmd/temporal@v1.5.1`, or set PIPECTL_TEMPORAL_BIN to an existing `temporal` binary (docs/installing.md).',
  },
  PIPE6002: {
    title: 'Dev server did not start',
    help: 'Read the server output in the message; a port in use is the usual cause: pick another with --port.',
  },
  PIPE6003: {
    title: 'Temporal unreachable',
    help: 'Start the local dev server with `pipectl dev`, or point --temporal-address / TEMPORAL_ADDRESS at your cluster.',
  },
  PIPE6004: {
    title: 'No such run',
    help: "List runs with `pipectl runs` (`--all-projects` for every project's); run ids look like pipectl-<project>-<pipeline>-<YYYY-MM-DD>.",
  },
  PIPE6005: {
    title: 'Decision refused',
    help: "Only a name in the contract's `approvers` may decide, only while the step waits, and only once; with several steps waiting, name one (`--step`); a `--fingerprint` must be the waiting change's; a decision's JSON may hold only `by`, `comment`, `step`, `fingerprint`. See `pipectl status <run>`.",
  },
  PIPE6006: {
    title: 'No worker answered',
    help: 'Start a worker (`pipectl worker`, or `pipectl dev`), or send the decision with --signal: the run takes it when a worker is back.',
  },
  PIPE6007: {
    title: 'Dev server port in use',
    help: 'Another program listens on the port: choose another with `pipectl dev --port <port>` (and --ui-port), or stop that program.',
  },
  PIPE6008: {
    title: 'Task queue served by another project',
    help: "Each project needs its own task queue, or its runs reach another project's worker: leave `temporal.taskQueue` out of pipectl.yaml (the default is `pipectl-<name>`), or set a distinct one per project.",
  },
  PIPE6009: {
    title: 'Warehouse file served by another worker',
    help: 'DuckDB lets one process write a database file, so one worker serves an embedded warehouse: stop the other worker (its pid is in the message), or give the project a lakehouse target that many workers share (docs/deploying.md).',
  },
  PIPE6010: {
    title: "Worker's target cannot be used",
    help: "The project's target (pipectl.yaml's `target:`, or the one given) is unknown or reads an environment variable that is not set in the worker's environment: start the worker with `--target <name>` and set the variables that target reads.",
  },
  PIPE6011: {
    title: 'Temporal TLS certificate unreadable',
    help: "A file or environment variable the target's `temporal.tls` names cannot be read, or only one of the client certificate and key is given: fix the path (relative to pipectl.yaml) or set the variable to the PEM text.",
  },
  PIPE6020: {
    title: 'No signing key',
    help: 'This project requires signed approvals: pass `--key <private key file>` (OpenSSH ed25519, unencrypted), or load your key into ssh-agent (`ssh-add`) so SSH_AUTH_SOCK reaches it.',
  },
  PIPE6021: {
    title: 'Signing key unreadable or unsupported',
    help: 'Use an OpenSSH ed25519 private key (`ssh-keygen -t ed25519`); an encrypted key must be loaded into ssh-agent (`ssh-add`) instead of passed with --key.',
  },
  PIPE6022: {
    title: 'ssh-agent failed',
    help: 'Check that ssh-agent runs and SSH_AUTH_SOCK points at it (`ssh-add -l` lists its keys), and that it holds the ed25519 key listed for you in the allowed-signers file.',
  },
  PIPE6023: {
    title: "Cannot sign without the run's status",
    help: 'A signature covers the waiting change (dataset, contract version, fingerprint), read from the run: start a worker (`pipectl worker` or `pipectl dev`) so the run answers, then decide again.',
  },
  // PIPE6040-6044 `pipectl verify` on the command line.
  PIPE6040: {
    title: 'Bad --table for verify',
    help: "Write `--table postgres://user@host:5432/db#schema.table` or `--table path/to/file.duckdb#schema.table` (without `#...`, the contract's dataset name is the table), name exactly one contract with it, and leave --target out.",
  },
  PIPE6045: {
    title: 'Restore needs a lakehouse target',
    help: 'The embedded DuckDB file keeps only the current data, so there is no earlier version to republish: give the project a DuckLake target (docs/deploying.md) and `pipectl restore --target <it>`.',
  },
  // PIPE7xxx interop: ODCS, dbt, OpenLineage (`pipectl import`, `pipectl export`).
  PIPE7001: {
    title: 'Not an ODCS v3 data contract',
    help: 'Import a YAML file with `kind: DataContract` and `apiVersion: v3.0.0` to `v3.2.0` (the Open Data Contract Standard, as datacontract-cli writes it).',
  },
  PIPE7002: {
    title: 'ODCS field not carried into pipectl',
    help: 'pipectl has no place for this field, so the imported contract does not hold it; keep the ODCS file as the record of it, or drop the field if pipectl is now the source of truth.',
  },
  PIPE7003: {
    title: 'ODCS value pipectl cannot use',
    help: 'Change the value in the ODCS file as the message says (a DuckDB physicalType, a snake_case name, a semver version, a team owner), then import again.',
  },
  PIPE7004: {
    title: 'Imported contract is invalid',
    help: 'The ODCS document maps to a pipectl contract that does not validate; fix the ODCS field at the position shown and import again.',
  },
  PIPE7005: {
    title: 'pipectl field exported approximately',
    help: 'The ODCS file says the same thing in another form (named in the message); importing it back gives an equivalent, not an identical, contract.',
  },
  PIPE7006: {
    title: 'Imported file already exists',
    help: 'Pass `--force` to overwrite it, or `--out <dir>` to write somewhere else.',
  },
  PIPE7007: {
    title: 'No contract with that name',
    help: 'Name a dataset the project has a contract for (`pipectl compile` lists them), or leave the names out to export every contract.',
  },
  PIPE7010: {
    title: 'Not a dbt manifest',
    help: 'Pass the `target/manifest.json` that `dbt parse` (or `dbt compile`, `dbt build`) writes in the dbt project.',
  },
  PIPE7011: {
    title: 'dbt setting not carried into pipectl',
    help: 'pipectl has no place for this dbt setting (a custom generic test, a column without data_type, ...); add what it promises to the imported contract by hand if it matters.',
  },
  PIPE7012: {
    title: 'dbt model pipectl cannot import',
    help: 'Give the model a name and columns pipectl can use (lowercase snake_case, documented columns in its YAML), then run `dbt parse` and import again.',
  },
  // PIPE7020-7039 OpenLineage events of runs (`openlineage:` in pipectl.yaml).
  PIPE7020: {
    title: 'OpenLineage transport URL invalid',
    help: 'Give an `http` transport the base URL of an OpenLineage API, with scheme, host and port (e.g. `http://localhost:5000` for Marquez); events are POSTed to `<url>/<endpoint>`.',
  },
  PIPE7021: {
    title: 'OpenLineage credential written in pipectl.yaml',
    help: 'Put the bearer token in an environment variable where the worker runs, write its name in `apiKeyEnv` (never the token), keep credentials out of the URL, and rotate any token that was committed.',
  },
  // PIPE8xxx docs site: `pipectl docs build` and `pipectl docs serve`.
  PIPE8001: {
    title: 'Docs server port in use',
    help: 'Another program listens on the port: leave out `--port` (the system then picks a free one), choose another with `pipectl docs serve --port <port>`, or stop that program.',
  },
  PIPE8002: {
    title: 'Docs site not writable',
    help: 'Pass `pipectl docs build --out <dir>` a folder you may write (it is created when missing).',
  },
  PIPE8003: {
    title: 'No docs site to serve',
    help: 'Build it first with `pipectl docs build` (or let `pipectl docs serve` build it: leave out `--no-build`), or point `--dir` at a folder holding its index.html.',
  },
} as const satisfies Record<string, IssueCodeInfo>;

export type IssueCode = keyof typeof ISSUE_CODES;
