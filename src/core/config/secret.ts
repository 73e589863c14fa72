import { z } from 'zod';

/** URI schemes Dagger resolves into secrets (`dag.secret(uri)`). */
export const SECRET_SCHEMES = ['env', 'file', 'cmd', 'vault', 'op'] as const;

const SECRET_URI = new RegExp(`^(${SECRET_SCHEMES.join('|')})://\\S.*$`);

/**
 * A reference to a secret, never the secret itself: a Dagger secret URI such as `env://REGISTRY_TOKEN`,
 * `file://./cosign.key`, `cmd://pass show ci/token`, `vault://path/to/secret.field` or `op://vault/item/field`.
 */
export const SecretRef = z
  .string()
  .regex(SECRET_URI, {
    error: `a secret must be a reference (${SECRET_SCHEMES.map((s) => `${s}://`).join(', ')}), never the value itself`,
  })
  .meta({
    description:
      'Dagger secret URI: env://NAME, file://PATH, cmd://COMMAND, vault://PATH, op://VAULT/ITEM/FIELD',
  });

/** A secret reference as written in gantry.yaml. */
export type SecretRef = z.infer<typeof SecretRef>;

/** True when a config value is a secret reference rather than a plaintext value. */
export function isSecretRef(value: string): boolean {
  return SECRET_URI.test(value);
}
