import { useState } from 'react';

/** A text field that commits on Enter (or blur with text) and cancels on Escape. */
export function InlineInput(props: {
  label: string;
  initial?: string;
  placeholder?: string;
  onCommit: (value: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(props.initial ?? '');
  const commit = () => {
    const v = value.trim();
    if (v && v !== props.initial) props.onCommit(v);
    else props.onCancel();
  };
  return (
    <input
      className="inline-input"
      aria-label={props.label}
      placeholder={props.placeholder}
      value={value}
      // biome-ignore lint/a11y/noAutofocus: opened by an explicit click on "new" or "rename"
      autoFocus
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        } else if (e.key === 'Escape') {
          e.preventDefault();
          props.onCancel();
        }
      }}
    />
  );
}
