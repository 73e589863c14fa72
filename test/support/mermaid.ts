/**
 * Parses Mermaid text with Mermaid's own code (mermaid 11.17.2, devDependency). `@mermaid-js/parser` does not
 * cover gantt (its `parse()` overloads list info, packet, pie, architecture, gitGraph, radar, treemap … only),
 * so the full package is used: `mermaid.parse` runs the diagram's jison grammar, and
 * `mermaidAPI.getDiagramFromText` gives the diagram's database, whose `getTasks()` is what Mermaid draws.
 * No DOM shim is needed on Node for a gantt chart without `title`/`accTitle` (those call DOMPurify.addHook).
 */
import mermaid from 'mermaid';

/** One task as Mermaid's gantt database holds it, with entity codes decoded. */
export interface ParsedTask {
  task: string;
  section: string;
  startTime: Date;
  endTime: Date;
  done?: boolean;
  crit?: boolean;
  active?: boolean;
}

// mermaid's encodeEntities turns `#58;` into `ﬂ°°58¶ß` before parsing (and back into `&#58;` when drawing).
const decode = (text: string) =>
  text.replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCodePoint(Number(n))).trim();

/** Parses a gantt chart; throws Mermaid's parse error if it does not parse. */
export async function parseGantt(text: string): Promise<ParsedTask[]> {
  const result = await mermaid.parse(text);
  if (result?.diagramType !== 'gantt') throw new Error(`not a gantt chart: ${result?.diagramType}`);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const tasks = (diagram.db as unknown as { getTasks(): ParsedTask[] }).getTasks();
  return tasks.map((t) => ({ ...t, task: decode(t.task), section: decode(t.section) }));
}
