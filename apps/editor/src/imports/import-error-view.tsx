import { ApiError } from '../api/client';
import type { ProblemDetail } from '../api/types';
import { ImportInputProblem, IMPORT_KIND_LABELS, type ImportKind } from './detect-import';

/** What went wrong with an import, ready to show: a sentence and the JSON Pointers it names. */
export interface ImportProblem {
  title: string;
  message: string;
  details: ProblemDetail[];
  /** What the paths point into. */
  pathsInto?: string;
}

export function importProblem(error: unknown, kind?: ImportKind): ImportProblem {
  if (error instanceof ImportInputProblem) {
    return { title: 'Cannot import this', message: error.message, details: [] };
  }
  if (error instanceof ApiError) {
    const source = kind ? IMPORT_KIND_LABELS[kind] : 'flow';
    const title =
      error.status === 422
        ? `The ${source} was converted but cannot be saved (422 ${error.code})`
        : error.status === 400
          ? `The ${source} was refused (400 ${error.code})`
          : `Import failed (${error.status} ${error.code})`;
    // 400: pointers into the posted export; 422: into the flow the converter wrote.
    const pathsInto = error.status === 422 ? 'the converted Hookflow flow' : 'the imported JSON';
    return { title, message: error.message, details: error.details, pathsInto };
  }
  return {
    title: 'Import failed',
    message: error instanceof Error ? error.message : String(error),
    details: [],
  };
}

/** The problem with its paths (pointers into the posted JSON, or into the converted flow). */
export function ImportErrorView({ problem }: { problem: ImportProblem }) {
  return (
    <div role="alert" className="notice notice-error import-error">
      <strong>{problem.title}</strong>
      <p>{problem.message}</p>
      {problem.details.length > 0 && problem.pathsInto && (
        <p>Paths point into {problem.pathsInto}:</p>
      )}
      {problem.details.length > 0 && (
        <ul aria-label="Problems by path">
          {problem.details.map((detail, index) => (
            <li key={index}>
              <code>{detail.path || '/'}</code>: {detail.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
