/** The error a call throws, for tests that check every part of a refusal (code, exit code, message, hint). */
import { GantryError } from '../../../src/core/errors.ts';

/**
 * Calls `fn` and returns the {@link GantryError} it throws; fails the test when it throws nothing or
 * something else (a TypeError where a refusal was expected is a bug, not a refusal).
 */
export function refusal(fn: () => unknown): GantryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected a refusal (a GantryError), got none');
}
