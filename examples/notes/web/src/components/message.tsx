import { userMessage } from '../../../shared/text.js';

/**
 * An error for the user: a plain sentence first; the code after it, small, for reference (and a bug
 * report). `role="alert"` so screen readers announce it.
 */
export function ErrorMessage(props: { error: unknown; className?: string }) {
  const m = userMessage(props.error);
  return (
    <p className={props.className ?? 'error-text'} role="alert">
      {m.text} <small className="error-code">{m.code}</small>
    </p>
  );
}
