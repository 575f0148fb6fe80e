// The optional project file `pipectl.yaml`: where contracts and pipelines live, where the
// warehouse is, which Temporal to talk to. Every field has a default. The top-level `warehouse` and
// `temporal` are the implicit target `default`; `targets` names more (target.ts).
import { z } from 'zod';
import { apiVersionSchema, descriptionSchema, IDENTIFIER_PATTERN } from './common.js';
import { openLineageSchema, targetSchema } from './target.js';

/**
 * What a review verdict does: `fail` fails `pipectl check` unless waived and pauses a run for
 * approval; `approve` passes the check with a warning and pauses a run; `allow` passes both.
 */
export const REVIEW_ACTIONS = ['fail', 'approve', 'allow'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];
const reviewActionSchema = z.enum(REVIEW_ACTIONS).meta({
  description:
    '"fail": `pipectl check` fails unless the change is waived, and a run pauses for approval; "approve": the check passes with a warning, and a run pauses for approval; "allow": both pass.',
});

/** The name of the target the top-level `warehouse` and `temporal` make up. */
export const DEFAULT_TARGET = 'default';

export const projectSchema = z
  .strictObject({
    apiVersion: apiVersionSchema,
    kind: z.literal('Project'),
    name: z.string().min(1),
    description: descriptionSchema.optional(),
    contracts: z
      .string()
      .default('contracts')
      .meta({ description: 'Folder with *.contract.yaml files, relative to this file.' }),
    pipelines: z
      .string()
      .default('pipelines')
      .meta({ description: 'Folder with *.pipeline.yaml files, relative to this file.' }),
    warehouse: z
      .strictObject({
        path: z
          .string()
          .default('.pipectl/warehouse.duckdb')
          .meta({ description: 'DuckDB file, relative to this file.' }),
      })
      .default({ path: '.pipectl/warehouse.duckdb' }),
    sandbox: z
      .strictObject({
        readable: z.array(z.string().min(1)).default([]).meta({
          description:
            'Folders outside the project directory that file sources may read (relative to this file, or absolute). Step SQL never reads files directly; see docs/security.md.',
        }),
      })
      .optional()
      .meta({
        description:
          'Widens what pipelines may read on this host; nothing is readable outside the project by default.',
      }),
    approvals: z
      .strictObject({
        signatures: z.enum(['required', 'off']).default('off').meta({
          description:
            'required: every approve/reject must be signed with an SSH ed25519 key listed in `allowedSigners` (`pipectl approve` signs it); off: a decision names its approver (default).',
        }),
        allowedSigners: z.string().min(1).default('allowed_signers').meta({
          description:
            "The approvers' public keys, one line each as git's gpg.ssh.allowedSignersFile writes them (`alice ssh-ed25519 AAAA…`); relative to this file, inside the project. Read from the revision a run was planned from.",
        }),
      })
      .optional()
      .meta({ description: 'How approvals of breaking schema changes are proven (docs/security.md).' }),
    temporal: z
      .strictObject({
        address: z.string().default('localhost:7233'),
        namespace: z.string().default('default'),
        taskQueue: z.string().min(1).optional().meta({
          description:
            "Task queue of the project's workers; default `pipectl-<name>` (the project's own, so projects share one Temporal without taking each other's runs).",
        }),
      })
      .default({ address: 'localhost:7233', namespace: 'default' }),
    openlineage: openLineageSchema.optional().meta({
      description:
        'OpenLineage events of runs on the default target (the top-level warehouse and temporal); a named target has its own `openlineage`. Off when absent (docs/interop.md).',
    }),
    targets: z
      .record(
        z
          .string()
          .regex(new RegExp(IDENTIFIER_PATTERN), 'a target name is lowercase snake_case, e.g. "prod"'),
        targetSchema,
      )
      .optional()
      .meta({
        description:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
          'Named targets (dev, ci, prod…): each a warehouse and optionally a Temporal. Commands take `--target <name>`; secrets come from `${VAR}` environment variables, never from this file.',
      }),
    docs: z
      .strictObject({
        url: z.url({ protocol: /^(https?|file)$/ }).meta({
          description:
            'Where the site `pipectl docs build` writes is published, e.g. "https://data.example.com/catalog". `pipectl check` and the approval details in the Temporal web UI link each contract to its page there.',
        }),
      })
      .optional()
      .meta({ description: 'The published catalog site (see docs/catalog.md).' }),
    compatibility: z
      .strictObject({
        review: z
          .strictObject({
            default: reviewActionSchema.default('fail'),
            rules: z
              .record(
                z
                  .string()
                  .regex(
                    /^([A-Z][A-Z0-9_]*|[a-z]+)$/,
                    'a rule id in UPPER_SNAKE_CASE (e.g. "PATTERN_CHANGED") or a rule class in lowercase (e.g. "quality")',
                  ),
                reviewActionSchema,
              )
              .default({})
              .meta({
                description:
                  'Per rule id or rule class (dataset, field, type, constraint, key, relationship, classification, quality, sla, metadata): a rule id wins over its class.',
              }),
          })
          .default({ default: 'fail', rules: {} }),
      })
      .default({ review: { default: 'fail', rules: {} } })
      .meta({
        description:
          'What a "review" verdict (a change the checker cannot prove safe or unsafe) does; see docs/compatibility.md, "Review policy".',
      }),
    target: z.string().min(1).optional().meta({
      description:
        'The target commands use without `--target`; by default the top-level `warehouse` and `temporal` (target "default").',
    }),
  })
  .meta({ title: 'pipectl Project', description: 'Project settings; every field has a default.' });

export type Project = z.infer<typeof projectSchema>;
export type ProjectInput = z.input<typeof projectSchema>;
export type ReviewPolicyConfig = Project['compatibility']['review'];
