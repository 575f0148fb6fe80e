// Picks the contract and pipeline files out of a folder's listing, in a stable order. Which files
// exist is the ProjectFiles' business; which of them are pipectl documents is decided here.
import { basename } from 'node:path';
import type { ProjectFiles } from './project-files.js';

/** `*.contract.yaml` and `*.pipeline.yaml` (or `.yml`): the files a project is made of. */
export const DOCUMENT_FILE = /\.(contract|pipeline)\.ya?ml$/;

/** Absolute paths of the document files under `dir`, sorted. */
export async function findDocumentFiles(files: ProjectFiles, dir: string): Promise<string[]> {
  const listed = await files.list(dir);
  return listed.filter((path) => DOCUMENT_FILE.test(basename(path))).sort();
}
