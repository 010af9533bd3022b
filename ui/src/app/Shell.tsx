/**
 * The frame of every page: header (product, the key's role, language switch, sign out), the menu of the
 * pages the key's role may use, and the one <main> landmark. Without a key it asks for one.
 */
import Button from "antd/es/button";
import Layout from "antd/es/layout";
import Space from "antd/es/space";
import Typography from "antd/es/typography";
import theme from "antd/es/theme";
import { lazy, Suspense } from "react";
import { Link, Outlet, useLocation } from "react-router";
import { ApiError } from "../../../shared/api/client";
import { roleLabel, type Lang } from "../../../shared/domain";
import { useWhoAmI } from "../features/auth/api/use-who-am-i";
import { useI18n } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shortHex } from "../lib/format";
import { StatusTag } from "../components/StatusTag";
import { NAV, visible } from "./nav";

const PUBLIC_PATHS = ["/network"];
const KeyPage = lazy(() => import("../features/auth/components/KeyPage"));

/** One button that switches to the other language (remembered in local storage). */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const other: Lang = lang === "zh" ? "en" : "zh";
  return (
    <Button size="small" onClick={() => setLang(other)} lang={other === "zh" ? "zh-CN" : "en"} title={t("app.language")} data-testid="language-switch">
      {other === "zh" ? "中文" : "English"}
    </Button>
  );
}

/**
 * The menu of the pages a role may use, grouped by area. Plain links styled with antd's tokens: antd's
 * Menu weighs 12 KB gzipped on the first load of every page.
 */
function SideNav({ groups, selected }: { groups: Array<{ key: string; label: string; items: Array<{ path: string; label: string }> }>; selected?: string }) {
  const { token } = theme.useToken();
  const { t } = useI18n();
  return (
    <nav aria-label={t("app.navigation")} style={{ padding: "8px 0" }}>
      {groups.map((g) => (
        <div key={g.key} style={{ marginBottom: 8 }}>
          <div style={{ padding: "8px 24px 4px", fontSize: 12, color: token.colorTextDescription }}>{g.label}</div>
          <ul style={{ listStyle: "none", margin: 0, padding: "0 8px" }}>
            {g.items.map((i) => {
              const active = i.path === selected;
              return (
                <li key={i.path}>
                  <Link
                    to={i.path}
                    aria-current={active ? "page" : undefined}
                    style={{
                      display: "block",
                      padding: "8px 16px",
                      borderRadius: token.borderRadius,
                      color: active ? token.colorPrimary : token.colorText,
                      background: active ? "#e6f0fc" : undefined,
                      fontWeight: active ? 600 : undefined,
                    }}
                  >
                    {i.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}

export function Shell() {
  const { t, lang } = useI18n();
  const { apiKey, signOut } = useSession();
  const location = useLocation();
  const me = useWhoAmI();
  const role = me.data?.role;
  const keyRejected = me.error instanceof ApiError && me.error.status === 401;
  const needsKey = !apiKey || keyRejected;
  const isPublic = PUBLIC_PATHS.some((p) => location.pathname === p);

  const groups = NAV.map((area) => ({
    key: area.key,
    label: t(area.label),
    items: area.items.filter((i) => visible(i, role)).map((i) => ({ path: i.path, label: t(i.label) })),
  })).filter((g) => g.items.length > 0);
  const selected = NAV.flatMap((a) => a.items.map((i) => i.path))
    .filter((p) => location.pathname === p || location.pathname.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];

  // The page renders while the key's role is still being read: its code and data load in parallel with
  // GET /v1/keys/me (the role only decides the menu and a few actions).
  const content = needsKey && !isPublic ? <KeyPage rejected={keyRejected ? me.error : undefined} /> : <Outlet />;

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header
        style={{ display: "flex", alignItems: "center", gap: 16, background: "#fff", borderBottom: "1px solid #f0f0f0", paddingInline: 24 }}
      >
        <Link to="/" style={{ color: "inherit" }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t("app.title")}
          </Typography.Text>
        </Link>
        <span style={{ flex: 1 }} />
        <Space size="middle">
          {me.data && (
            <span data-testid="current-role">
              <StatusTag tone="info">{roleLabel(me.data.role, lang)}</StatusTag>
              <Typography.Text>{me.data.label}</Typography.Text>
              {me.data.wallet && (
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }} title={me.data.wallet}>
                  {shortHex(me.data.wallet, 4)}
                </Typography.Text>
              )}
            </span>
          )}
          <LanguageSwitch />
          {apiKey && (
            <Button size="small" onClick={signOut}>
              {t("app.signOut")}
            </Button>
          )}
        </Space>
      </Layout.Header>
      <Layout>
        {role && (
          <Layout.Sider width={220} theme="light" style={{ borderRight: "1px solid #f0f0f0" }}>
            <SideNav groups={groups} selected={selected} />
          </Layout.Sider>
        )}
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          <main>
            <Suspense fallback={<Typography.Paragraph role="status">{t("app.loading")}</Typography.Paragraph>}>{content}</Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
