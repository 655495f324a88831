/** One choice of a select: what is sent (`id`) and what the reader sees (`name`). */
export interface SelectOption {
  id: string;
  name: string;
}

/**
 * A labelled `<select>` in the forms' `field` box. `blank` adds a first empty choice with that
 * text; without `value` the select keeps its own state (a pick that only triggers an action).
 */
export function SelectField({
  id,
  label,
  options,
  value,
  blank,
  onChange,
}: {
  id: string;
  label: string;
  options: readonly SelectOption[];
  value?: string;
  blank?: string;
  onChange: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {blank !== undefined && <option value="">{blank}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
