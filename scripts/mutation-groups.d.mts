/** Types of scripts/mutation-groups.mjs. */
export declare const GROUPS: Record<string, { mutate: string[]; tests: string[] }>;
