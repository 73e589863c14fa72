/**
 * Waiver matching: which waivers of a policy cover a finding.
 */
import type { Finding } from './finding.ts';
import type { Waiver } from './policy.ts';

/**
 * Turns a path glob (`*` within a segment, `**` across segments, `?` one character) into a RegExp. A double
 * star followed by a slash at the start of a segment stands for whole segments only (none or more), as in
 * gitignore: the glob `**` + `/test_*.py` matches `test_a.py` and `pkg/test_a.py`, not `pkg/latest_a.py`.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      i++;
      const segment = (i === 1 || glob[i - 2] === '/') && glob[i + 1] === '/';
      source += segment ? '(?:.*/)?' : '.*';
      if (segment) i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Waivers indexed by id, with their path patterns compiled once. */
export class WaiverIndex {
  readonly #byId = new Map<string, { waiver: Waiver; path: RegExp | undefined }[]>();

  constructor(waivers: readonly Waiver[]) {
    for (const waiver of waivers) {
      const entry = { waiver, path: waiver.path === undefined ? undefined : globToRegExp(waiver.path) };
      const list = this.#byId.get(waiver.id);
      if (list) list.push(entry);
      else this.#byId.set(waiver.id, [entry]);
    }
  }

  /** The waivers whose id (rule id, alias or stable finding id) and scope match the finding. */
  matching(finding: Finding): readonly Waiver[] {
    let out: Waiver[] | undefined;
    const visit = (key: string) => {
      for (const { waiver, path } of this.#byId.get(key) ?? none) {
        if (waiver.package !== undefined) {
          if (finding.kind !== 'vulnerability' || finding.package !== waiver.package) continue;
        }
        const where = 'path' in finding ? finding.path : undefined;
        if (path && !path.test(finding.target) && !(where !== undefined && path.test(where))) continue;
        out ??= [];
        if (!out.includes(waiver)) out.push(waiver);
      }
    };
    visit(finding.ruleId);
    visit(finding.id);
    for (const alias of finding.aliases) visit(alias);
    return out ?? none;
  }
}

const none: readonly never[] = [];
