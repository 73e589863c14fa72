/**
 * A Slack notification after every run, passed or failed: an `always` stage. The webhook URL is a secret:
 * it reaches curl as a secret variable and is expanded by the shell inside the container, never in argv.
 * In your repository, import from 'gantry' instead of '../../index.ts'.
 */
import { dag } from '@dagger.io/dagger';
import { defineStage, IMAGES, type PipelineDefinition, standardStages } from '../../index.ts';

export const notify = defineStage({
  name: 'notify',
  phase: 'notify',
  needs: [],
  always: true,
  secrets: ['env://SLACK_WEBHOOK_URL'],
  description: 'posts the outcome to Slack',
  run: async (ctx) => {
    const outcome = ctx.outcome;
    const failed = Object.entries(outcome?.stages ?? {}).filter(([, s]) => s === 'failed' || s === 'blocked');
    const text = `${ctx.config.name}: ${outcome?.status ?? 'unknown'}${failed.length > 0 ? ` (${failed.map(([n]) => n).join(', ')})` : ''}`;
    await dag
      .container()
      .from(IMAGES.curl)
      .withSecretVariable('SLACK_WEBHOOK_URL', dag.secret('env://SLACK_WEBHOOK_URL'))
      .withNewFile('/tmp/message.json', JSON.stringify({ text }))
      .withExec([
        'sh',
        '-c',
        'curl -fsS -X POST -H "Content-Type: application/json" --data @/tmp/message.json "$SLACK_WEBHOOK_URL"',
      ])
      .sync();
    return { message: `sent: ${text}` };
  },
});

export function pipeline(): PipelineDefinition {
  return { stages: [...standardStages(), notify] };
}
