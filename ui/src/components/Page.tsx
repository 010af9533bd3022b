import Typography from "antd/es/typography";
import { useEffect, type ReactNode } from "react";
import { useI18n } from "../lib/i18n";

/** A page: its one <h1>, an optional line under it, actions on the right, and the document title. */
export function Page({ title, subtitle, extra, children }: { title: string; subtitle?: ReactNode; extra?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t("app.title")}`;
  }, [title, t]);
  return (
    <div style={{ maxWidth: 1280 }}>
      <div style={{ display: "flex", alignItems: "flex-start", gap: 16, marginBottom: 16, flexWrap: "wrap" }}>
        <div style={{ flex: 1, minWidth: 240 }}>
          <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0, marginBottom: subtitle ? 4 : 0 }}>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{subtitle}</Typography.Paragraph>}
        </div>
        {extra}
      </div>
      {children}
    </div>
  );
}
