import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builderId,
  GANTRY_BUILD_TYPE,
  imageDependency,
  LOCAL_BUILDER_ID,
  type ProvenanceInput,
  SLSA_PROVENANCE_V1,
  slsaProvenance,
  slsaTimestamp,
  workflowRef,
} from '../../src/core/provenance.ts';

/*
 * The SLSA v1.0 provenance format, encoded field by field. There is no official JSON schema: the spec ships an
 * informative CUE summary (slsa-framework/slsa, branch releases/v1.0, spec/provenance.md and
 * spec/schema/provenance.cue = https://slsa.dev/spec/v1.0/provenance; "In the event of a disagreement with the
 * text description, the text is authoritative"). Required fields come from the text:
 * - Provenance: "REQUIRED for SLSA Build L1: buildDefinition, runDetails"
 * - BuildDefinition: "REQUIRED for SLSA Build L1: buildType, externalParameters"
 * - RunDetails: "REQUIRED for SLSA Build L1: builder"; Builder: "REQUIRED for SLSA Build L1: id"
 * - BuildMetadata: "REQUIRED: (none)"; builder.version is a map of string to string (`{ ...string }`)
 * - #Timestamp: `<YYYY>-<MM>-<DD>T<hh>:<mm>:<ss>Z` (RFC 3339, UTC)
 * ResourceDescriptor (in-toto/attestation spec/v1/resource_descriptor.md): "Though all fields are optional, a
 * ResourceDescriptor MUST specify one of uri, digest or content at a minimum." Statement: in-toto/attestation
 * spec/v1/statement.md ("Each [subject] element MUST have digest set"); cosign v2.6.4 writes `_type`
 * `https://in-toto.io/Statement/v0.1` (pkg/cosign/attestation/attestation.go generateStatementHeader).
 * Summaries with citations: /work/notes/cosign-slsa-facts.md items 4 and 5.
 *
 * The spec lets consumers ignore unknown fields; these schemas are strict on purpose, so that a misspelt field
 * (e.g. `invocationID`, what cosign's slsaprovenance1 round trip writes) fails here instead of being ignored.
 */
const TypeUri = z.string().refine((s) => URL.canParse(s), 'a URI');
const Timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'RFC 3339 in UTC (…Z)')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'a real date');
// in-toto DigestSet: algorithm → lowercase hex; sha256 is 64 hex, gitCommit a SHA-1 (40) or SHA-256 (64) id.
const DigestSet = z
  .record(z.string(), z.string().regex(/^[a-f0-9]+$/))
  .refine((d) => Object.keys(d).length > 0, 'at least one digest')
  .refine((d) => d.sha256 === undefined || /^[a-f0-9]{64}$/.test(d.sha256), 'sha256 is 64 hex')
  .refine((d) => d.gitCommit === undefined || /^([a-f0-9]{40}|[a-f0-9]{64})$/.test(d.gitCommit), 'git id');
const ResourceDescriptor = z
  .strictObject({
    uri: TypeUri.optional(),
    digest: DigestSet.optional(),
    name: z.string().optional(),
    downloadLocation: TypeUri.optional(),
    mediaType: z.string().optional(),
    content: z.base64().optional(),
    annotations: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((r) => r.uri ?? r.digest ?? r.content, 'one of uri, digest or content');
const Predicate = z.strictObject({
  buildDefinition: z.strictObject({
    buildType: TypeUri,
    externalParameters: z.record(z.string(), z.unknown()),
    internalParameters: z.record(z.string(), z.unknown()).optional(),
    resolvedDependencies: z.array(ResourceDescriptor).optional(),
  }),
  runDetails: z.strictObject({
    builder: z.strictObject({
      id: TypeUri,
      version: z.record(z.string(), z.string()).optional(),
      builderDependencies: z.array(ResourceDescriptor).optional(),
    }),
    metadata: z
      .strictObject({
        invocationId: z.string().optional(),
        startedOn: Timestamp.optional(),
        finishedOn: Timestamp.optional(),
      })
      .optional(),
    byproducts: z.array(ResourceDescriptor).optional(),
  }),
});
const Statement = z.strictObject({
  _type: z.enum(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']),
  subject: z.array(z.strictObject({ name: z.string(), digest: DigestSet })).min(1),
  predicateType: z.literal('https://slsa.dev/provenance/v1'),
  predicate: Predicate,
});
/** Gantry's own stricter rule: every dependency it lists has both a URI and a digest. */
const Pinned = z.array(z.object({ uri: z.string(), digest: DigestSet }));

const COMMIT = 'a'.repeat(40);
const PINNED = `gcr.io/distroless/nodejs22@sha256:${'c'.repeat(64)}`;
const input: ProvenanceInput = {
  repository: 'https://github.com/acme/app',
  commit: COMMIT,
  ref: 'refs/heads/main',
  invocationId: 'https://github.com/acme/app/actions/runs/42',
  builderId: 'https://github.com/acme/app/.github/workflows/gantry.yml@refs/heads/main',
  workflow: { platform: 'github', ref: 'acme/app/.github/workflows/gantry.yml@refs/heads/main' },
  configFile: 'gantry.yaml',
  component: 'api',
  dockerfile: 'Dockerfile',
  baseImages: ['node:22.11.0-alpine3.20', PINNED],
  startedOn: new Date('2026-12-02T03:00:00.250Z'),
  finishedOn: new Date('2026-12-02T03:04:05.999Z'),
};
/** The statement cosign v2.6.4 wraps around the predicate for `--type https://slsa.dev/provenance/v1`. */
const statement = (predicate: unknown) => ({
  _type: 'https://in-toto.io/Statement/v0.1',
  predicateType: SLSA_PROVENANCE_V1,
  subject: [{ name: 'ghcr.io/acme/api', digest: { sha256: 'b'.repeat(64) } }],
  predicate,
});

describe('SLSA v1 provenance', () => {
  it('passes the SLSA v1 provenance rules field by field', () => {
    const predicate = slsaProvenance(input);
    const parsed = Statement.safeParse(statement(predicate));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(Pinned.safeParse(predicate.buildDefinition.resolvedDependencies).success).toBe(true);
    expect(predicate.buildDefinition.buildType).toBe(GANTRY_BUILD_TYPE);
    expect(predicate.buildDefinition.externalParameters).toMatchObject({
      workflow: input.workflow,
      ref: 'refs/heads/main',
      config: 'gantry.yaml',
    });
    expect(predicate.runDetails.metadata).toEqual({
      invocationId: 'https://github.com/acme/app/actions/runs/42',
      startedOn: '2026-12-02T03:00:00Z',
      finishedOn: '2026-12-02T03:04:05Z',
    });
  });

  it('lists the source as git+<repo>@<ref> with its gitCommit, and only base images pinned by digest', () => {
    const predicate = slsaProvenance(input);
    expect(predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: COMMIT } },
      { uri: 'pkg:docker/gcr.io/distroless/nodejs22', digest: { sha256: 'c'.repeat(64) } },
    ]);
    expect(predicate.buildDefinition.internalParameters).toEqual({
      platform: 'github',
      unpinnedBaseImages: ['node:22.11.0-alpine3.20'],
    });
    const dirty = slsaProvenance({ ...input, dirty: true, baseImages: [PINNED] });
    expect(dirty.buildDefinition.resolvedDependencies[0]?.annotations).toEqual({ dirty: true });
    expect(dirty.buildDefinition.internalParameters).toEqual({ platform: 'github' });
  });

  it('rejects a v0.2 predicate and the usual mistakes, so the check above can fail', () => {
    // The v0.2 shape Gantry wrote before (https://slsa.dev/spec/v0.2/provenance).
    const v02 = {
      builder: { id: 'https://github.com/acme/app/actions/runs/42' },
      buildType: 'https://github.com/gantry-ci/gantry/docker-build@v1',
      invocation: { configSource: { uri: 'git+https://github.com/acme/app', digest: { sha1: COMMIT } } },
      metadata: { buildStartedOn: '2026-12-02T03:00:00Z', buildFinishedOn: '2026-12-02T03:04:05Z' },
      materials: [{ uri: 'git+https://github.com/acme/app', digest: { sha1: COMMIT } }],
    };
    expect(Statement.safeParse(statement(v02)).success).toBe(false);
    expect(
      Statement.safeParse({
        ...statement(slsaProvenance(input)),
        predicateType: 'https://slsa.dev/provenance/v0.2',
      }).success,
    ).toBe(false);

    const good = slsaProvenance(input);
    const broken: [string, (p: ReturnType<typeof slsaProvenance>) => unknown][] = [
      ['no buildType', (p) => ({ ...p, buildDefinition: { ...p.buildDefinition, buildType: undefined } })],
      [
        'no externalParameters',
        (p) => ({ ...p, buildDefinition: { ...p.buildDefinition, externalParameters: undefined } }),
      ],
      ['no builder.id', (p) => ({ ...p, runDetails: { ...p.runDetails, builder: {} } })],
      [
        'builder.version as a string',
        (p) => ({ ...p, runDetails: { ...p.runDetails, builder: { id: 'https://x', version: '1' } } }),
      ],
      [
        'invocationID (cosign slsaprovenance1 round trip)',
        (p) => ({ ...p, runDetails: { ...p.runDetails, metadata: { invocationID: 'x' } } }),
      ],
      [
        'timestamp with an offset',
        (p) => ({
          ...p,
          runDetails: { ...p.runDetails, metadata: { startedOn: '2026-12-02T04:00:00+01:00' } },
        }),
      ],
      [
        'timestamp without a time',
        (p) => ({ ...p, runDetails: { ...p.runDetails, metadata: { finishedOn: '2026-12-02' } } }),
      ],
      [
        'empty ResourceDescriptor',
        (p) => ({ ...p, buildDefinition: { ...p.buildDefinition, resolvedDependencies: [{}] } }),
      ],
      [
        'short sha256',
        (p) => ({
          ...p,
          buildDefinition: {
            ...p.buildDefinition,
            resolvedDependencies: [{ uri: 'pkg:docker/x', digest: { sha256: 'abc' } }],
          },
        }),
      ],
    ];
    for (const [what, breakIt] of broken)
      expect(Statement.safeParse(statement(breakIt(good))).success, what).toBe(false);
    // A URI without a digest is a valid in-toto ResourceDescriptor, but Gantry never lists one.
    expect(Pinned.safeParse([{ uri: 'pkg:docker/node:22' }]).success).toBe(false);
  });

  it('takes builder.id and the workflow from each CI platform', () => {
    const github = {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/gantry.yml@refs/heads/main',
    };
    expect(builderId('github', github)).toBe(
      'https://github.com/acme/app/.github/workflows/gantry.yml@refs/heads/main',
    );
    expect(builderId('github', { RUNNER_ENVIRONMENT: 'self-hosted' })).toBe(
      'https://github.com/actions/runner/self-hosted',
    );
    expect(workflowRef('github', github)).toEqual({ platform: 'github', ref: github.GITHUB_WORKFLOW_REF });
    expect(
      builderId('gitlab', { CI_PROJECT_URL: 'https://gitlab.example.com/acme/app', CI_RUNNER_ID: '7' }),
    ).toBe('https://gitlab.example.com/acme/app/-/runners/7');
    expect(workflowRef('gitlab', {})).toEqual({ platform: 'gitlab', ref: '.gitlab-ci.yml' });
    expect(builderId('jenkins', { JENKINS_URL: 'https://ci.example.com/' })).toBe('https://ci.example.com/');
    expect(workflowRef('jenkins', { JOB_NAME: 'app/main' })).toEqual({
      platform: 'jenkins',
      ref: 'app/main',
    });
    expect(builderId('local', github)).toBe(LOCAL_BUILDER_ID);
    expect(workflowRef('local', {})).toEqual({ platform: 'local' });
  });

  it('pins only digest references and writes timestamps to the second', () => {
    expect(imageDependency('node:22')).toBeUndefined();
    expect(imageDependency(`node@sha256:${'d'.repeat(64)}`)).toEqual({
      uri: 'pkg:docker/node',
      digest: { sha256: 'd'.repeat(64) },
    });
    expect(imageDependency(`node:22@sha256:${'d'.repeat(64)}`)?.uri).toBe('pkg:docker/node:22');
    expect(slsaTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('2026-01-02T03:04:05Z');
  });
});
