// The records of a JSON source, one at a time with their position: NDJSON is streamed line by
// line (`file:line`), so files larger than memory pass through; a JSON array (`file[index]`) is
// parsed whole. A line that is not JSON is a record with a parse error, to be quarantined; an
// array file that does not parse fails as a whole (MalformedJsonError).
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { MalformedJsonError } from './extract-errors.js';
import type { SourceOf } from './extractor.js';
import type { SourceFile } from './source-files.js';

type JsonSourceFormat = SourceOf<'json'>['format'];

export interface JsonRecord {
  /** `data/c.ndjson:12` (1-based line) or `data/c.json[3]` (0-based index). */
  readonly position: string;
  /** The record as JSON text; for a line that does not parse, that line as a JSON string. */
  readonly text: string;
  readonly value: unknown;
  /** Set when the line is not JSON. */
  readonly parseError?: string;
}

/** Every record of `file`, in order. */
export async function* readJsonRecords(
  file: SourceFile,
  format: JsonSourceFormat,
  source: string,
): AsyncGenerator<JsonRecord> {
  const layout = format === 'auto' ? await detectLayout(file) : format;
  if (layout === 'array') yield* arrayRecords(file, source);
  else yield* lineRecords(file);
}

async function* lineRecords(file: SourceFile): AsyncGenerator<JsonRecord> {
  const lines = createInterface({
    input: createReadStream(file.path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let number = 0;
  for await (const raw of lines) {
    number += 1;
    const line = number === 1 ? stripBom(raw) : raw;
    if (line.trim() === '') continue;
    const position = `${file.relative}:${number}`;
    try {
      yield { position, text: line, value: JSON.parse(line) as unknown };
    } catch (error) {
      yield {
        position,
        text: JSON.stringify(line),
        value: undefined,
        parseError: `not valid JSON: ${parseMessage(error).why}`,
      };
    }
  }
}

async function* arrayRecords(file: SourceFile, source: string): AsyncGenerator<JsonRecord> {
  const text = stripBom(await readFile(file.path, 'utf8'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const { why, offset } = parseMessage(error);
    const before = offset === undefined ? undefined : text.slice(0, offset).split('\n');
    const line = before?.length;
    const at = before === undefined ? '' : `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
    throw new MalformedJsonError(
      'PIPE5110',
      `source "${source}": ${file.relative}${at} is not valid JSON: ${why}`,
      { source, file: file.relative, ...(line === undefined ? {} : { line }) },
      { hint: 'Fix the JSON at the position shown, or set `format: ndjson` for one record per line.' },
    );
  }
  if (!Array.isArray(parsed)) {
    throw new MalformedJsonError(
      'PIPE5110',
      `source "${source}": ${file.relative} holds ${parsed === null ? 'null' : typeof parsed}, not an array of records`,
      { source, file: file.relative },
      { hint: 'Write the records as one JSON array, or one record per line with `format: ndjson`.' },
    );
  }
  for (const [index, value] of parsed.entries()) {
    yield {
      position: `${file.relative}[${index}]`,
      text: JSON.stringify(value) ?? 'null',
      value: value as unknown,
    };
  }
}

/** `[` first (after whitespace and a byte order mark): an array; anything else: NDJSON. */
async function detectLayout(file: SourceFile): Promise<'array' | 'ndjson'> {
  const handle = await open(file.path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = stripBom(buffer.subarray(0, bytesRead).toString('utf8')).trimStart();
    return head.startsWith('[') ? 'array' : 'ndjson';
  } finally {
    await handle.close();
  }
}

/** V8's JSON.parse message without its position (which differs between Node versions), and the offset. */
function parseMessage(error: unknown): { why: string; offset?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /\s+in JSON at position (\d+).*$/.exec(message);
  if (!position) return { why: message };
  return { why: message.slice(0, position.index), offset: Number(position[1]) };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
