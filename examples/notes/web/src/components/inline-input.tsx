import { useId, useState } from 'react';

/**
 * A text field that commits on Enter (or on blur with text) and cancels on Escape. `check` returns why a
 * value cannot be used (e.g. an empty name): Enter then keeps the field open and says so, instead of
 * silently doing nothing.
 */
export function InlineInput(props: {
  label: string;
  initial?: string;
  placeholder?: string;
  check?: (value: string) => string | null;
  onCommit: (value: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(props.initial ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = useId();
  const commit = (fromEnter: boolean) => {
    const v = value.trim();
    if (v === (props.initial ?? '').trim() && v !== '') return props.onCancel(); // unchanged
    const why = props.check?.(v) ?? (v ? null : 'Type a name first.');
    if (why) {
      if (fromEnter) setProblem(why);
      else props.onCancel(); // clicking away from an empty field cancels
      return;
    }
    props.onCommit(v);
  };
  return (
    <div className="inline-field">
      <input
        className="inline-input"
        aria-label={props.label}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        placeholder={props.placeholder}
        value={value}
        // biome-ignore lint/a11y/noAutofocus: opened by an explicit click on "new" or "rename"
        autoFocus
        onChange={(e) => {
          setValue(e.target.value);
          setProblem(null);
        }}
        onBlur={() => commit(false)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit(true);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          }
        }}
      />
      {problem && (
        <p className="field-problem" id={problemId} role="alert">
          {problem} <span className="muted">Press Esc to cancel.</span>
        </p>
      )}
    </div>
  );
}
