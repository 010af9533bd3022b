/**
 * Asks for the API key once. It is checked with GET /v1/keys/me and kept in this tab's session storage
 * only; the header then shows its role.
 */
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Typography from "antd/es/typography";
import { useState } from "react";
import { useNavigate } from "react-router";
import { createClient } from "../../../../../shared/api/client";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Page } from "../../../components/Page";
import { useI18n } from "../../../lib/i18n";
import { useSession } from "../../../lib/session";
import { HOME } from "../../../app/nav";
import { Link } from "react-router";
import { Panel } from "../../../components/Panel";

export default function KeyPage({ rejected }: { rejected?: unknown }) {
  const { t, lang } = useI18n();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(rejected);
  const [busy, setBusy] = useState(false);

  const submit = async ({ apiKey }: { apiKey: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const key = apiKey.trim();
      const me = await createClient({ baseUrl: window.location.origin, apiKey: key, lang }).call("whoAmI");
      signIn(key);
      navigate(HOME[me.role], { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t("auth.title")} subtitle={t("auth.subtitle")}>
      <Panel style={{ maxWidth: 560 }}>
        <ErrorAlert error={error} />
        <Form layout="vertical" onFinish={submit} requiredMark={false} name="key">
          <Form.Item label={t("auth.apiKey")} name="apiKey" rules={[{ required: true, message: t("auth.apiKeyRequired") }]} extra={t("auth.storage")}>
            <Input.Password autoComplete="off" placeholder="dar_…" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t("auth.open")}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/network">{t("auth.networkLink")}</Link>
        </Typography.Paragraph>
      </Panel>
    </Page>
  );
}
