import type { ComponentChildren, InputHTMLAttributes, PartialInputHTMLAttributes } from 'preact';

/**
 * A labelled `<input>` in the forms' `field` box; `onValue` gets the typed text, every other
 * attribute (type, min, max, step, autocomplete, aria-…) goes to the input as given. Children
 * follow the input (a hint line).
 */
export function InputField({
  id,
  label,
  value,
  onValue,
  children,
  ...attrs
}: Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput' | 'children' | 'role'> & {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  children?: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {/* the attributes are a plain input's; preact's type pairs each input type with its roles */}
      <input
        {...(attrs as InputHTMLAttributes<HTMLInputElement>)}
        id={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      {children}
    </div>
  );
}
