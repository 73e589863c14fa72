import { ExecError, GraphQLRequestError } from '@dagger.io/dagger';
import { GantryError, StageError } from '../core/errors.ts';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'ENOTFOUND',
]);

/** True when an error (or one of its causes) is a lost or refused connection to the engine. */
export function isConnectionError(error: unknown): boolean {
  for (
    let e = error, depth = 0;
    e instanceof Object && depth < 8;
    e = (e as { cause?: unknown }).cause, depth += 1
  ) {
    const { code, errno, message } = e as { code?: unknown; errno?: unknown; message?: unknown };
    if (CONNECTION_CODES.has(String(code)) || CONNECTION_CODES.has(String(errno))) return true;
    if (typeof message === 'string' && /socket hang up|other side closed|fetch failed/i.test(message))
      return true;
  }
  return false;
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Turns what the Dagger SDK throws into a {@link GantryError} that says what failed: a command's exit code
 * and output instead of a GraphQL error dump, or a lost engine connection. Other errors pass through.
 */
export function fromEngineError(error: unknown): unknown {
  if (error instanceof GantryError) return error;
  if (error instanceof ExecError) {
    const output = tail(`${error.stdout}\n${error.stderr}`);
    return new StageError(
      'COMMAND_FAILED',
      `\`${error.cmd.join(' ')}\` exited with ${error.exitCode}${output ? `:\n${output}` : ''}`,
      {
        cause: error,
        hint: 'read the command output above; run with --debug for the engine error',
      },
    );
  }
  if (isConnectionError(error)) {
    return new StageError('ENGINE_CONNECTION', 'lost the connection to the Dagger engine', {
      cause: error,
      hint: 'check that the engine is still running (dagger run, Docker, or the runner host) and run again with --from <stage>',
    });
  }
  if (error instanceof GraphQLRequestError) {
    return new StageError(
      'ENGINE_ERROR',
      `the Dagger engine returned an error: ${error.message.split('\n')[0]}`,
      {
        cause: error,
        hint: 'run with --debug for the full engine error',
      },
    );
  }
  return error;
}
