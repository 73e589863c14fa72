/**
 * Structural check of a declarative Jenkins pipeline: the sections Jenkins requires and only the
 * directives it knows (Pipeline Syntax reference). npm-groovy-lint checks Groovy syntax; a misspelt
 * directive such as `stpes` is valid Groovy and only fails when Jenkins loads the pipeline, so this does.
 */
import type { GroovyBlock } from './groovy-blocks.ts';

const PIPELINE_SECTIONS = [
  'agent',
  'environment',
  'options',
  'parameters',
  'triggers',
  'tools',
  'libraries',
  'stages',
  'post',
];
const STAGE_SECTIONS = [
  'agent',
  'environment',
  'input',
  'options',
  'when',
  'tools',
  'post',
  'steps',
  'stages',
  'parallel',
  'matrix',
];
const STAGE_BODIES = ['steps', 'stages', 'parallel', 'matrix'];
const POST_CONDITIONS = [
  'always',
  'changed',
  'fixed',
  'regression',
  'aborted',
  'failure',
  'success',
  'unstable',
  'unsuccessful',
  'cleanup',
];
const WHEN_CONDITIONS = [
  'branch',
  'buildingTag',
  'changelog',
  'changeset',
  'changeRequest',
  'environment',
  'equals',
  'expression',
  'tag',
  'not',
  'allOf',
  'anyOf',
  'triggeredBy',
  'beforeAgent',
  'beforeInput',
  'beforeOptions',
];
const INPUT_PARAMETERS = ['message', 'id', 'ok', 'submitter', 'submitterParameter', 'parameters'];
const AGENT_KINDS = ['any', 'none', 'label', 'node', 'docker', 'dockerfile', 'kubernetes'];

/** Returns every structural problem, as `line N: …` strings; empty when the pipeline is well-formed. */
export function checkDeclarativePipeline(root: GroovyBlock): string[] {
  const problems: string[] = [];
  const pipelines = root.blocks.filter((b) => b.name === 'pipeline');
  if (pipelines.length !== 1) return [`expected exactly one pipeline { } block, found ${pipelines.length}`];
  const pipeline = pipelines[0] as GroovyBlock;
  only(pipeline, PIPELINE_SECTIONS, 'pipeline', problems);
  const hasAgent =
    pipeline.blocks.some((b) => b.name === 'agent') || pipeline.statements.some((s) => s.name === 'agent');
  if (!hasAgent) problems.push(`line ${pipeline.line}: pipeline needs an agent section`);
  for (const s of pipeline.statements) {
    if (s.name === 'agent' && !AGENT_KINDS.includes(s.text.split(/\s+/)[1] ?? '')) {
      problems.push(`line ${s.line}: unknown agent "${s.text}"`);
    } else if (s.name !== 'agent') {
      problems.push(`line ${s.line}: unexpected statement "${s.text}" directly in pipeline`);
    }
  }
  const stages = pipeline.blocks.filter((b) => b.name === 'stages');
  if (stages.length !== 1) problems.push(`line ${pipeline.line}: pipeline needs exactly one stages section`);
  for (const s of stages) checkStages(s, problems);
  for (const post of pipeline.blocks.filter((b) => b.name === 'post'))
    only(post, POST_CONDITIONS, 'post', problems);
  return problems;
}

function checkStages(stages: GroovyBlock, problems: string[]): void {
  if (stages.blocks.length === 0) problems.push(`line ${stages.line}: stages needs at least one stage`);
  for (const b of stages.blocks) {
    if (b.name !== 'stage')
      problems.push(`line ${b.line}: only stage(...) blocks may appear in stages, found "${b.name}"`);
    else checkStage(b, problems);
  }
}

function checkStage(stage: GroovyBlock, problems: string[]): void {
  if (!/^(['"]).+\1$/.test(stage.args)) problems.push(`line ${stage.line}: stage needs a quoted name`);
  only(stage, STAGE_SECTIONS, `stage(${stage.args})`, problems);
  const bodies = stage.blocks.filter((b) => STAGE_BODIES.includes(b.name));
  if (bodies.length !== 1) {
    problems.push(`line ${stage.line}: stage(${stage.args}) needs exactly one of ${STAGE_BODIES.join(', ')}`);
  }
  for (const b of stage.blocks) {
    if (b.name === 'stages') checkStages(b, problems);
    if (b.name === 'post') only(b, POST_CONDITIONS, 'post', problems);
    if (b.name === 'when') checkNames(b, WHEN_CONDITIONS, 'when', problems);
    if (b.name === 'input') {
      checkNames(b, INPUT_PARAMETERS, 'input', problems);
      if (!b.statements.some((s) => s.name === 'message'))
        problems.push(`line ${b.line}: input needs a message`);
    }
  }
}

/** Only the listed child blocks are allowed. */
function only(block: GroovyBlock, allowed: readonly string[], where: string, problems: string[]): void {
  for (const b of block.blocks) {
    if (!allowed.includes(b.name)) problems.push(`line ${b.line}: unknown directive "${b.name}" in ${where}`);
  }
}

/** Only the listed names, as blocks or statements. */
function checkNames(block: GroovyBlock, allowed: readonly string[], where: string, problems: string[]): void {
  for (const item of [...block.blocks, ...block.statements]) {
    if (!allowed.includes(item.name)) problems.push(`line ${item.line}: unknown "${item.name}" in ${where}`);
  }
}
