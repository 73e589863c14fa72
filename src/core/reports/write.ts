import { writeFileAtomic } from '../atomic-write.ts';

/** Writes a report atomically; objects are written as indented JSON with a final newline. */
export async function writeReportFile(file: string, content: string | object): Promise<void> {
  await writeFileAtomic(
    file,
    typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
  );
}
