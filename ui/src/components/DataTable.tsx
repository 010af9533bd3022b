import Button from "antd/es/button";
import theme from "antd/es/theme";
import { Fragment, useState, type ReactNode } from "react";
import { useI18n } from "../lib/i18n";

export interface Column<T> {
  key: string;
  title: ReactNode;
  render(row: T): ReactNode;
  width?: number;
}

/**
 * A plain semantic table in Ant Design's look, for the pages a role opens first. antd's Table brings
 * Menu, Tree, Dropdown, Radio and the form engine (≈ 70 KB gzipped) for filters and selection these
 * pages do not use; the landing pages must load in ≤ 350 KB. Paging is the caller's (cursor) Pager.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  loading,
  expand,
  testId,
}: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey(row: T): string;
  loading?: boolean;
  /** Details shown under a row when its toggle is pressed. */
  expand?: (row: T) => ReactNode | null;
  testId?: string;
}) {
  const { token } = theme.useToken();
  const { t } = useI18n();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const cell = { padding: "8px", borderBottom: `1px solid ${token.colorBorderSecondary}`, textAlign: "start" as const, verticalAlign: "top" as const };
  const span = columns.length + (expand ? 1 : 0);
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      style={{ overflowX: "auto", border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadiusLG, background: token.colorBgContainer, opacity: loading ? 0.6 : 1 }}
      aria-busy={loading}
      data-testid={testId}
    >
      <table style={{ width: "100%", borderCollapse: "collapse", fontSize: token.fontSize }}>
        <thead>
          <tr style={{ background: token.colorFillAlter }}>
            {expand && <th style={{ ...cell, width: 40 }}><span className="visually-hidden">{t("common.details")}</span></th>}
            {columns.map((c) => (
              <th key={c.key} scope="col" style={{ ...cell, fontWeight: 600, width: c.width, whiteSpace: "nowrap" }}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={span} style={{ ...cell, textAlign: "center", color: token.colorTextDescription, padding: 24 }}>
                {loading ? t("app.loading") : t("common.empty")}
              </td>
            </tr>
          )}
          {rows.map((r) => {
            const key = rowKey(r);
            const details = expand && open.has(key) ? expand(r) : null;
            return (
              <Fragment key={key}>
                <tr data-row-key={key}>
                  {expand && (
                    <td style={cell}>
                      {expand(r) !== null && (
                        <Button
                          size="small"
                          type="text"
                          aria-expanded={open.has(key)}
                          aria-label={t("common.details")}
                          onClick={() =>
                            setOpen((s) => {
                              const n = new Set(s);
                              if (n.has(key)) n.delete(key);
                              else n.add(key);
                              return n;
                            })
                          }
                        >
                          {open.has(key) ? "−" : "+"}
                        </Button>
                      )}
                    </td>
                  )}
                  {columns.map((c) => (
                    <td key={c.key} style={cell}>
                      {c.render(r)}
                    </td>
                  ))}
                </tr>
                {details && (
                  <tr>
                    <td colSpan={span} style={{ ...cell, background: token.colorFillAlter }}>
                      {details}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
