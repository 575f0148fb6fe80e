// The project `pipectl init` writes: one source, one contract per dataset, one pipeline with a
// staging step and an aggregate, and editor settings. It validates as written.

export function initTemplate(name: string): Record<string, string> {
  const contractModeline = '# yaml-language-server: $schema=../../schemas/contract.schema.json';
  const pipelineModeline = '# yaml-language-server: $schema=../schemas/pipeline.schema.json';
  return {
    'pipectl.yaml': `# yaml-language-server: $schema=schemas/project.schema.json
apiVersion: pipectl/v1
kind: Project
name: ${name}
description: Signups per day, from a CSV export.
warehouse:
  path: .pipectl/warehouse.duckdb
`,
    'contracts/raw/signups.contract.yaml': `${contractModeline}
apiVersion: pipectl/v1
kind: Contract
name: raw.signups
version: 1.0.0
owner: growth-data
description: One row per account signup, as exported by the web app.
compatibility: forward
approvers: [your-name]
columns:
  - name: signup_id
    type: bigint
    primaryKey: true
  - name: email
    type: varchar
    nullable: false
    pii: email
    pattern: '^[^@\\s]+@[^@\\s]+$'
  - name: plan
    type: varchar
    nullable: false
    acceptedValues: [free, team, enterprise]
  - name: signed_up_at
    type: timestamp
    nullable: false
quality:
  - check: row_count
    min: 1
`,
    'contracts/analytics/daily_signups.contract.yaml': `${contractModeline}
apiVersion: pipectl/v1
kind: Contract
name: analytics.daily_signups
version: 1.0.0
owner: growth-data
description: Signups per day and plan.
compatibility: forward
approvers: [your-name]
columns:
  - name: signup_date
    type: date
    primaryKey: true
  - name: plan
    type: varchar
    primaryKey: true
    acceptedValues: [free, team, enterprise]
  - name: signups
    type: bigint
    nullable: false
    min: 1
`,
    'pipelines/signups_daily.pipeline.yaml': `${pipelineModeline}
apiVersion: pipectl/v1
kind: Pipeline
name: signups_daily
description: Counts signups per day and plan.
owner: growth-data
schedule:
  cron: '0 6 * * *'
  timezone: UTC
sources:
  - name: signups
    kind: csv
    path: data/signups.csv
    contract: raw.signups
steps:
  - name: daily_signups
    produces: analytics.daily_signups
    sql: |
      select
        cast(signed_up_at as date) as signup_date,
        plan,
        count(*) as signups
      from {{ source('signups') }}
      group by all
    gates:
      - check: row_count
        min: 1
retry:
  maximumAttempts: 3
approval:
  timeout: 24h
  onTimeout: fail
`,
    'data/signups.csv': `signup_id,email,plan,signed_up_at
1,ada@example.com,free,2026-11-01 09:12:00
2,grace@example.com,team,2026-11-01 10:40:00
3,linus@example.com,free,2026-11-02 08:05:00
4,barbara@example.com,enterprise,2026-11-02 14:30:00
5,ken@example.com,free,2026-11-03 17:45:00
`,
    '.gitignore': `# pipectl run state: the DuckDB warehouse and scratch runs
.pipectl/
`,
    '.vscode/settings.json': `${JSON.stringify(
      {
        'yaml.schemas': {
          './schemas/contract.schema.json': ['**/*.contract.yaml', '**/*.contract.yml'],
          './schemas/pipeline.schema.json': ['**/*.pipeline.yaml', '**/*.pipeline.yml'],
          './schemas/project.schema.json': ['pipectl.yaml'],
        },
      },
      null,
      2,
    )}\n`,
  };
}
