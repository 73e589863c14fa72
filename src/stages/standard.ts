import { relative } from 'node:path';
import type { z } from 'zod';
import { type GantryConfig, requiresApproval } from '../core/config/schema.ts';
import { InputError } from '../core/errors.ts';
import { deployDriver } from '../dagger/drivers/index.ts';
import type { DeployDriver } from '../dagger/drivers/types.ts';
import {
  defineStage,
  type StageContext,
  type StageDefinition,
  type StageExpansion,
} from '../runtime/define.ts';
import type { StageFn } from '../runtime/types.ts';
import { createApproveStage } from './approve.ts';
import { buildStage } from './build.ts';
import { checkoutStage } from './checkout.ts';
import { CONTRACTS, type Contract } from './contracts.ts';
import { deployStage } from './deploy.ts';
import { depsStage } from './deps.ts';
import { scanStage } from './scan.ts';
import { signStage } from './sign.ts';
import { testStage } from './test.ts';

type ContractName = keyof typeof CONTRACTS;
type OutputOf<C extends ContractName> = z.infer<(typeof CONTRACTS)[C]['output']>;

/** A standard stage: the stage function, with its output read back from the manifest per its contract. */
function standard<const N extends string, C extends ContractName>(
  name: N,
  contract: C,
  fields: { phase: string; needs: readonly string[]; kind?: StageDefinition['kind']; description: string },
  fn: StageFn,
): StageDefinition<N, OutputOf<C>> {
  const c = CONTRACTS[contract] as unknown as Contract<OutputOf<C>>;
  return defineStage<N, OutputOf<C>>({
    name,
    ...fields,
    output: c.output,
    run: async (ctx) => {
      const result = await fn(ctx);
      return {
        message: result?.message,
        output: c.read(ctx.manifest.get(), name, relative(ctx.repoRoot, ctx.outDir)),
      };
    },
  });
}

/** checkout: records the commit, ref and dirty flag of the repository. */
export const checkout = standard(
  'checkout',
  'checkout',
  { phase: 'verify', needs: [], description: 'records the commit, ref and dirty flag' },
  checkoutStage,
);
/** deps: installs each component's dependencies in its toolchain container (cache keyed on the lockfile). */
export const deps = standard(
  'deps',
  'deps',
  { phase: 'verify', needs: ['checkout'], description: "installs each component's dependencies" },
  depsStage,
);
/** test: runs each component's tests and collects JUnit XML. */
export const test = standard(
  'test',
  'test',
  { phase: 'verify', needs: ['deps'], description: "runs each component's tests (JUnit XML)" },
  testStage,
);
/** scan: Trivy filesystem scan and Semgrep SAST, gated by the policy. */
export const scan = standard(
  'scan',
  'scan',
  {
    phase: 'verify',
    needs: ['deps'],
    kind: 'scan',
    description: 'Trivy fs scan and Semgrep SAST, gated by the policy',
  },
  scanStage,
);
/** build: builds each image, scans it before publishing, makes an SBOM, publishes by digest. */
export const build = standard(
  'build',
  'build',
  {
    phase: 'release',
    needs: ['test', 'scan'],
    description: 'builds, scans (before publishing), SBOM, publishes by digest',
  },
  buildStage,
);
/** sign: cosign signature and attestations (SBOM, vulnerability scan, provenance) of each digest. */
export const sign = standard(
  'sign',
  'sign',
  { phase: 'release', needs: ['build'], description: 'cosign signature and attestations of each digest' },
  signStage,
);

/** The fixed standard stages, by name: pass one to `ctx.outputOf(…)` for its typed output. */
export const STANDARD = { checkout, deps, test, scan, build, sign } as const;

/** Options of {@link standardStages}. */
export interface StandardStagesOptions {
  /** Standard stages to leave out; the stages that needed one need what it needed instead. @default [] */
  omit?: readonly string[];
  /**
   * Standard stages to replace, by name. The replacement keeps the standard name and contract: its output
   * must pass the standard output schema, and is recorded like the standard stage's. @default {}
   */
  replace?: Readonly<Record<string, StageDefinition<string, unknown>>>;
  /** Deploy drivers of your own, by the name environments give as `driver`. @default {} */
  drivers?: Readonly<Record<string, DeployDriver>>;
  /** More needs for standard stages, e.g. `{ build: ['lint'] }` so that build waits for your lint gate. @default {} */
  needs?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The standard stages as stage values: checkout, deps, test, scan, build, sign, then for each environment
 * of gantry.yaml (in order) `approve-<env>` where it requires approval and `deploy-<env>`.
 *
 * @example await main({ stages: [...standardStages({ omit: ['test'] }), lint] });
 */
export function standardStages(options: StandardStagesOptions = {}): StageExpansion[] {
  return [{ expand: (config) => expandStandard(config, options) }];
}

function expandStandard(config: GantryConfig, options: StandardStagesOptions): StageDefinition[] {
  const { omit = [], replace = {}, drivers = {}, needs: extra = {} } = options;
  const all: StageDefinition[] = [...Object.values(STANDARD), ...environmentStages(config, drivers)];
  const names = all.map((s) => s.name);
  for (const name of [...omit, ...Object.keys(replace), ...Object.keys(extra)]) {
    if (!names.includes(name)) {
      throw new InputError('DEFINITION_INVALID', `standardStages: there is no standard stage "${name}"`, {
        hint: `use one of: ${names.join(', ')}`,
      });
    }
  }
  const needsOf = new Map(all.map((s) => [s.name, s.needs]));
  // A stage that needed an omitted one needs what the omitted one needed, so the order stays.
  const rewire = (needs: readonly string[]): string[] => [
    ...new Set(needs.flatMap((n) => (omit.includes(n) ? rewire(needsOf.get(n) ?? []) : [n]))),
  ];
  return all
    .filter((s) => !omit.includes(s.name))
    .map((s) => {
      const replacement = replace[s.name];
      const stage = replacement ? replaced(s, replacement) : s;
      return { ...stage, needs: rewire([...stage.needs, ...(extra[s.name] ?? [])]) };
    });
}

/** A replacement under the standard stage's name and contract. */
function replaced(
  standardStage: StageDefinition,
  replacement: StageDefinition<string, unknown>,
): StageDefinition {
  const contractName = contractOf(standardStage.name);
  const contract = CONTRACTS[contractName] as unknown as Contract<unknown>;
  return {
    ...replacement,
    name: standardStage.name,
    kind: standardStage.kind,
    output: contract.output,
    run: async (ctx: StageContext) => {
      const result = (await replacement.run(ctx)) ?? {};
      const parsed = contract.output.safeParse(result.output);
      if (parsed.success) {
        // Outside the stage's guarded manifest: the runtime records a contract's fields for it.
        await ctx.manifest.update((m) => contract.record(m, parsed.data));
      }
      return result;
    },
  };
}

function contractOf(name: string): ContractName {
  if (name.startsWith('deploy-')) return 'deploy';
  if (name.startsWith('approve-')) return 'approve';
  return name as ContractName;
}

/** `approve-<env>` before each environment that requires approval, and `deploy-<env>` for each. */
function environmentStages(
  config: GantryConfig,
  drivers: Readonly<Record<string, DeployDriver>>,
): StageDefinition[] {
  const gated = config.environments.filter(requiresApproval);
  const single = gated.length === 1;
  const stages: StageDefinition[] = [];
  let previous = 'sign';
  let previousEnvironment: string | undefined;
  let phase = 'release';
  for (const env of config.environments) {
    deployDriver(env.driver, drivers); // an unknown driver is refused here, before any engine starts
    if (requiresApproval(env)) {
      const approve = `approve-${env.name}`;
      stages.push(
        standard(
          approve,
          'approve',
          {
            phase: single ? 'approve' : approve,
            needs: [previous],
            kind: 'approve',
            description: `approval of the digests for ${env.name}`,
          },
          createApproveStage(env.name, previousEnvironment),
        ),
      );
      previous = approve;
      phase = single ? 'promote' : `promote-${env.name}`;
    }
    const name = `deploy-${env.name}`;
    stages.push(
      standard(
        name,
        'deploy',
        {
          phase,
          needs: [previous],
          kind: 'deploy',
          description: `verifies and deploys the digests to ${env.name} (${env.driver})`,
        },
        deployStage(env.name, { driver: (d) => deployDriver(d, drivers) }),
      ),
    );
    previous = name;
    previousEnvironment = env.name;
  }
  return stages;
}
