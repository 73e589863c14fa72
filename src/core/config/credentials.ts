/**
 * No credentials in URLs. A user name or password written into a URL (`https://:TOKEN@host/…`,
 * `https://admin:PW@host`) is a plaintext secret: it would be copied into the run manifest, the summary,
 * logs and plain environment variables. Every URL in gantry.yaml is checked, whatever its field, so a field
 * added later is covered too; secret references (`env://`, `cmd://`…) are not URLs and are skipped.
 */
import { InputError } from '../errors.ts';
import { isSecretRef } from './secret.ts';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The secret reference to use instead, by field. */
const SECRET_FIELD: Readonly<Record<string, string>> = {
  'gitops.repository':
    'put the token in gitops.token (e.g. env://GITOPS_TOKEN) and the user in gitops.username',
};

/** Refuses (exit 2, naming the field) any URL value of the config with a user name or password in it. */
export function assertNoUrlCredentials(config: unknown, file = 'gantry.yaml'): void {
  walk(config, '', (field, value) => {
    if (!URL_LIKE.test(value) || isSecretRef(value)) return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return;
    }
    if (url.username === '' && url.password === '') return;
    const what = url.password !== '' ? 'a password or token' : 'a user name';
    const tail = Object.entries(SECRET_FIELD).find(([suffix]) => field.endsWith(suffix))?.[1];
    throw new InputError(
      'CONFIG_URL_CREDENTIALS',
      `${file}: ${field}: the URL carries ${what} (${url.protocol}//***@${url.host}); credentials in URLs end up in the manifest, the summary and logs`,
      {
        hint: `remove "…@" from the URL and give the credential as a secret reference instead: ${tail ?? 'a secret field such as env://NAME or file://PATH'}`,
      },
    );
  });
}

function walk(value: unknown, path: string, visit: (field: string, value: string) => void): void {
  if (typeof value === 'string') visit(path, value);
  else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(v, `${path}[${i}]`, visit);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, visit);
  }
}
