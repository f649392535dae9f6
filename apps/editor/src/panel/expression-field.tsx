import { useEffect, useMemo, useState } from 'react';
import type { JsonValue } from '../api/types';
import { CodeEditor } from '../code/code-editor';
import { completionsFor } from '../code/completions';
import type { CodeError } from '../code/error-mark';
import {
  jsonataSyntaxError,
  previewJsonata,
  type PreviewContext,
  type PreviewResult,
} from './jsonata-preview';

interface ExpressionFieldProps {
  id: string;
  label: string;
  language: 'jsonata' | 'handlebars';
  value: string;
  onChange: (value: string) => void;
  preview?: PreviewContext;
}

function PreviewOutput({ result }: { result: PreviewResult | undefined }) {
  if (!result) return null;
  if (result.kind === 'error') {
    return (
      <pre className="preview preview-error" role="status" aria-label="Preview error">
        {result.message}
      </pre>
    );
  }
  return (
    <pre className="preview" role="status" aria-label="Preview">
      {result.value === undefined
        ? '(no result)'
        : JSON.stringify(result.value as JsonValue, null, 2)}
    </pre>
  );
}

/**
 * A CodeMirror field with JSONata or Handlebars highlighting. JSONata is checked as it is typed:
 * the error is underlined at its position and described under the field; with a preview input
 * the result is shown live.
 */
export function ExpressionField({
  id,
  label,
  language,
  value,
  onChange,
  preview,
}: ExpressionFieldProps) {
  const [evaluated, setEvaluated] = useState<{ expression: string; result: PreviewResult }>();
  useEffect(() => {
    if (language !== 'jsonata') return;
    let current = true;
    const timer = setTimeout(() => {
      const syntax = jsonataSyntaxError(value);
      if (syntax || !preview) {
        setEvaluated(syntax ? { expression: value, result: syntax } : undefined);
        return;
      }
      void previewJsonata(value, preview).then(
        (result) => current && setEvaluated({ expression: value, result }),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [language, value, preview]);

  // The mark belongs to the text it was computed for: typing on clears it until the next check.
  const complete = useMemo(
    () =>
      language === 'jsonata' && preview
        ? (before: string) =>
            completionsFor({ message: preview.message, trigger: preview.trigger }, before)
        : undefined,
    [language, preview],
  );

  const fresh = evaluated?.expression === value ? evaluated.result : undefined;
  const error = useMemo(
    (): CodeError | undefined =>
      fresh?.kind === 'error' ? { message: fresh.message, position: fresh.position } : undefined,
    [fresh],
  );

  return (
    <div className="field expression">
      <label htmlFor={id} id={`${id}-label`}>
        {label} <span className="lang">{language}</span>
      </label>
      <CodeEditor
        id={id}
        label={label}
        language={language}
        value={value}
        onChange={onChange}
        error={error}
        complete={complete}
      />
      {language === 'jsonata' && (preview || fresh?.kind === 'error') && (
        <PreviewOutput result={fresh ?? evaluated?.result} />
      )}
    </div>
  );
}
