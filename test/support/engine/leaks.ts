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
