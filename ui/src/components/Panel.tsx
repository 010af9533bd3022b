import theme from "antd/es/theme";
import type { CSSProperties, ReactNode } from "react";

/**
 * A titled, bordered section with Ant Design's tokens. antd's Card would do, but it brings Tabs with it
 * (16 KB gzipped on every page), and a role's landing page must load in ≤ 350 KB.
 */
export function Panel({ title, extra, children, style, testId, loading }: { title?: ReactNode; extra?: ReactNode; children?: ReactNode; style?: CSSProperties; testId?: string; loading?: boolean }) {
  const { token } = theme.useToken();
  return (
    <section
      data-testid={testId}
      style={{ background: token.colorBgContainer, border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadiusLG, marginBottom: 16, ...style }}
    >
      {(title || extra) && (
        <header
          style={{
            display: "flex",
            alignItems: "center",
            gap: 12,
            minHeight: 48,
            padding: `0 ${token.paddingLG}px`,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          {title && <h2 style={{ flex: 1, fontSize: 16, fontWeight: 600, margin: 0 }}>{title}</h2>}
          {extra}
        </header>
      )}
      <div style={{ padding: token.paddingLG }}>{loading ? <p role="status" style={{ margin: 0, color: token.colorTextDescription }}>…</p> : children}</div>
    </section>
  );
}
