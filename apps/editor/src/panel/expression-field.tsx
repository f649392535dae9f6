import { useEffect, useState } from 'react';
import type { JsonValue } from '../api/types';
import { previewJsonata, type PreviewContext, type PreviewResult } from './jsonata-preview';

interface ExpressionFieldProps {
  id: string;
  label: string;
  language: 'jsonata' | 'handlebars';
  value: string;
  onChange: (value: string) => void;
  preview?: PreviewContext;
}

/** The expression with the character JSONata stopped at marked. */
function ErrorPosition({ expression, position }: { expression: string; position: number }) {
  const at = Math.max(0, Math.min(expression.length, position) - 1);
  return (
    <code className="error-where" aria-label={`Error at position ${position}`}>
      {expression.slice(0, at)}
      <mark className="error-at">{expression.slice(at, at + 1) || ' '}</mark>
      {expression.slice(at + 1)}
    </code>
  );
}

function PreviewOutput({
  result,
  expression,
}: {
  result: PreviewResult | undefined;
  expression: string;
}) {
  if (!result) return null;
  if (result.kind === 'error') {
    return (
      <pre className="preview preview-error" role="status" aria-label="Preview error">
        {result.message}
        {result.position !== undefined && (
          <>
            {'\n'}
            <ErrorPosition expression={expression} position={result.position} />
          </>
        )}
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

/** A monospace code field; JSONata gets a live preview against the sample message. */
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
    if (language !== 'jsonata' || !preview) return;
    let current = true;
    const timer = setTimeout(() => {
      void previewJsonata(value, preview).then(
        (result) => current && setEvaluated({ expression: value, result }),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [language, value, preview]);

  return (
    <div className="field expression">
      <label htmlFor={id}>
        {label} <span className="lang">{language}</span>
      </label>
      <textarea
        id={id}
        className="code"
        spellCheck={false}
        rows={Math.min(10, Math.max(3, value.split('\n').length + 1))}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {language === 'jsonata' && preview && (
        <PreviewOutput result={evaluated?.result} expression={evaluated?.expression ?? ''} />
      )}
    </div>
  );
}
