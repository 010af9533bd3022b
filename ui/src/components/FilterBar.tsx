import Button from "antd/es/button";
import Space from "antd/es/space";
import { useState, type ReactNode } from "react";
import { useI18n } from "../lib/i18n";

export interface FilterField<V> {
  name: keyof V & string;
  label: string;
  input(props: { id: string; value: V[keyof V] | undefined; onChange(v: V[keyof V] | undefined): void }): ReactNode;
}

/**
 * A row of labelled filters with Apply and Clear; the parent keeps the applied values (and resets its
 * paging). Plain controlled inputs: no Form machinery on the pages that open first.
 */
export function FilterBar<V extends object>({ name, fields, onApply, extra, initial }: { name: string; fields: FilterField<V>[]; onApply(v: V): void; extra?: ReactNode; initial?: Partial<V> }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Partial<V>>(initial ?? {});
  return (
    <form
      aria-label={name}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft as V);
      }}
      style={{ display: "flex", flexWrap: "wrap", gap: "8px 16px", alignItems: "center", marginBottom: 16 }}
    >
      {fields.map((f) => {
        const id = `${name}-${f.name}`;
        return (
          <span key={f.name} style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
            <label htmlFor={id}>{f.label}</label>
            {f.input({ id, value: draft[f.name] as V[keyof V] | undefined, onChange: (v) => setDraft((d) => ({ ...d, [f.name]: v })) })}
          </span>
        );
      })}
      <Space>
        <Button type="primary" htmlType="submit">
          {t("common.apply")}
        </Button>
        <Button
          onClick={() => {
            setDraft({});
            onApply({} as V);
          }}
        >
          {t("common.clear")}
        </Button>
        {extra}
      </Space>
    </form>
  );
}
