/**
 * Transfer pre-flight: may this token go to this address now? The contract's own answer
 * (POST /v1/tokens/:id/transfer-check), in words, in the console's language, with its code.
 */
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Typography from "antd/es/typography";
import { Address } from "../../../../../shared/api/common";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { zodRule } from "../../../lib/form";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation } from "../../../lib/query";

export function TransferCheck({ tokenId }: { tokenId: string }) {
  const { t, lang } = useI18n();
  const check = useRouteMutation("transferCheck");
  const r = check.data;
  return (
    <>
      <Form
        layout="vertical"
        name="transfer-check"
        onFinish={(v: { to: string; from?: string }) => check.mutate({ params: { id: tokenId }, body: { to: v.to.trim(), ...(v.from ? { from: v.from.trim() } : {}) } })}
      >
        <Form.Item label={t("preflight.to")} name="to" rules={[{ required: true, message: t("form.required") }, zodRule(Address, t("form.address"))]}>
          <Input className="mono" placeholder="0x…" />
        </Form.Item>
        <Form.Item label={t("preflight.from")} name="from" extra={t("preflight.fromHint")} rules={[zodRule(Address, t("form.address"))]}>
          <Input className="mono" placeholder="0x…" />
        </Form.Item>
        <Button htmlType="submit" loading={check.isPending}>
          {t("preflight.check")}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        <ErrorAlert error={check.error} />
        {r &&
          (r.ok ? (
            <Alert type="success" showIcon title={t("preflight.ok")} data-testid="preflight-result" data-ok="true" />
          ) : (
            <Alert
              type="error"
              showIcon
              data-testid="preflight-result"
              data-ok="false"
              title={t("preflight.refused")}
              description={
                r.error && (
                  <>
                    <div data-testid="preflight-message">{lang === "zh" ? r.error.messageZh : r.error.messageEn}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("errors.code")}: <Typography.Text code>{r.error.code}</Typography.Text> · {r.error.name}
                    </Typography.Text>
                  </>
                )
              }
            />
          ))}
      </div>
    </>
  );
}
