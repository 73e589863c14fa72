import { Kind, parse, print, visit } from 'graphql';

/**
 * The request as text with every `setSecret(plaintext:)` value masked (inline or via a
 * variable), so a plaintext found in the result leaked somewhere else.
 */
export function redactSecrets(query: string, variables: Record<string, unknown> = {}): string {
  const secretVariables = new Set<string>();
  let redacted: string;
  try {
    redacted = print(
      visit(parse(query), {
        Field(field) {
          if (field.name.value !== 'setSecret') return undefined;
          const args = field.arguments?.map((arg) => {
            if (arg.name.value !== 'plaintext') return arg;
            if (arg.value.kind === Kind.VARIABLE) secretVariables.add(arg.value.name.value);
            return { ...arg, value: { kind: Kind.STRING, value: '***' } as const };
          });
          return { ...field, arguments: args };
        },
      }),
    );
  } catch {
    redacted = query; // unparseable: nothing to mask, all of it counts
  }
  const kept = Object.entries(variables).filter(([name]) => !secretVariables.has(name));
  return `${redacted}\n${JSON.stringify(Object.fromEntries(kept))}`;
}

/** One way a secret can be written down, with the text to look for. */
export interface EncodedForm {
  form: 'verbatim' | 'json' | 'url' | 'form' | 'hex' | 'base64' | 'base64url';
  /** The text to search for; base64 forms are searched in text with whitespace removed (wrapped lines). */
  text: string;
}

/**
 * A base64 alphabet's fragments that any encoding of a text containing `secret` must contain, whatever the
 * secret's offset in that text: for each alignment (offset mod 3) the characters that depend only on the
 * secret's own bytes. This is how `base64("user:" + password)` in a Docker config is caught.
 */
function base64Fragments(secret: Buffer, url: boolean): string[] {
  const drop = [0, 2, 3]; // leading characters that mix in bytes before the secret, per alignment
  return [0, 1, 2].map((k) => {
    const encoded = Buffer.concat([Buffer.alloc(k), secret]).toString(url ? 'base64url' : 'base64');
    return encoded.slice(drop[k], Math.floor((k + secret.length) / 3) * 4);
  });
}

/**
 * The forms a leaked secret can take in an output: as is, JSON-escaped, URL-encoded (path and form
 * encoding), hex (lower case; texts are searched case-insensitively for it), base64 and base64url at every
 * alignment. Forms equal to the verbatim text or shorter than 8 characters (which would match by chance)
 * are left out.
 */
export function encodedForms(secret: string): EncodedForm[] {
  const bytes = Buffer.from(secret, 'utf8');
  const candidates: EncodedForm[] = [
    { form: 'json', text: JSON.stringify(secret).slice(1, -1) },
    { form: 'url', text: encodeURIComponent(secret) },
    { form: 'form', text: new URLSearchParams({ s: secret }).toString().slice(2) },
    { form: 'hex', text: bytes.toString('hex') },
    ...base64Fragments(bytes, false).map((text) => ({ form: 'base64' as const, text })),
    ...base64Fragments(bytes, true).map((text) => ({ form: 'base64url' as const, text })),
  ];
  const forms: EncodedForm[] = [{ form: 'verbatim', text: secret }];
  for (const c of candidates) {
    if (c.text.length >= 8 && !forms.some((f) => f.text === c.text)) forms.push(c);
  }
  return forms;
}

/** The forms of `secret` (see {@link encodedForms}) found in `text`, e.g. `['base64']`; empty: none. */
export function secretFormsIn(text: string, secret: string): EncodedForm['form'][] {
  const compact = text.replace(/\s+/g, '');
  const lower = text.toLowerCase();
  const found = encodedForms(secret).filter((f) => {
    if (f.form === 'hex') return lower.includes(f.text);
    if (f.form === 'base64' || f.form === 'base64url') return compact.includes(f.text);
    return text.includes(f.text);
  });
  return [...new Set(found.map((f) => f.form))];
}

/** Labels `place` with the forms found: `place` for a verbatim copy, `place (base64)` for an encoded one. */
export function leakPlaces(place: string, text: string, secret: string): string[] {
  return secretFormsIn(text, secret).map((form) => (form === 'verbatim' ? place : `${place} (${form})`));
}
