/**
 * 身份登记: one identity by form (with its KYC dossier, of which only the sha256 is kept), or many from a
 * CSV, each row checked against the shared schema first and given its own result.
 */
import Button from "antd/es/button";
import Col from "antd/es/col";
import Form from "antd/es/form";
import Input from "antd/es/input";
import InputNumber from "antd/es/input-number";
import Row from "antd/es/row";
import Select from "antd/es/select";
import Segmented from "antd/es/segmented";
import Typography from "antd/es/typography";
import { DateTimeInput, daysFromNow } from "../../../components/DateTimeInput";
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router";
import { Address, Bytes32 } from "../../../../../shared/api/common";
import { LEVELS, levelLabel } from "../../../../../shared/domain";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { FileDrop } from "../../../components/FileDrop";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { TxResult, UnsignedTransactions, isUnsigned } from "../../../components/WriteResult";
import { zodRule } from "../../../lib/form";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation } from "../../../lib/query";
import { contentKey } from "../api/keys";

const CsvRegister = lazy(() => import("./CsvRegister"));
import { Panel } from "../../../components/Panel";

interface SingleValues {
  wallet: string;
  level: number;
  jurisdiction: number;
  expiresAt: string;
  identityId?: string;
  kycEvidenceHash?: string;
}

function SingleForm() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<SingleValues>();
  const [dossier, setDossier] = useState<File | null>(null);
  const register = useRouteMutation("registerIdentity", { invalidates: ["listIdentities", "getIdentityOfWallet"] });

  const submit = async (v: SingleValues) => {
    const body = {
      wallet: v.wallet.trim(),
      level: v.level,
      jurisdiction: v.jurisdiction,
      expiresAt: v.expiresAt,
      ...(v.identityId ? { identityId: v.identityId.trim() } : {}),
      ...(!dossier && v.kycEvidenceHash ? { kycEvidenceHash: v.kycEvidenceHash.trim() } : {}),
    };
    const key = await contentKey("identity", body, dossier ? [dossier.name, dossier.size, dossier.lastModified] : null);
    register.mutate({
      body,
      headers: { "idempotency-key": key },
      files: { kycEvidence: dossier ? { bytes: dossier, filename: dossier.name, type: dossier.type } : undefined },
    });
  };

  const r = register.data;
  return (
    <Row gutter={24}>
      <Col xs={24} lg={14}>
        <Form<SingleValues>
          form={form}
          layout="vertical"
          name="identity"
          onFinish={submit}
          initialValues={{ level: 2, jurisdiction: 156, expiresAt: daysFromNow(365) }}
        >
          <Form.Item label={t("identity.wallet")} name="wallet" rules={[{ required: true, message: t("form.required") }, zodRule(Address, t("form.address"))]}>
            <Input className="mono" placeholder="0x…" />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item label={t("identity.level")} name="level" rules={[{ required: true, message: t("form.required") }]}>
                <Select options={LEVELS.map((l) => ({ value: l.value, label: `${l.value} · ${levelLabel(l.value, lang)}` }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item label={t("identity.jurisdiction")} name="jurisdiction" rules={[{ required: true, message: t("form.required") }]} extra={t("identity.jurisdictionHint")}>
                <InputNumber min={0} max={999} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t("identity.expiresAt")} name="expiresAt" rules={[{ required: true, message: t("form.required") }]}>
            <DateTimeInput style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item label={t("identity.identityId")} name="identityId" extra={t("identity.identityIdHint")} rules={[zodRule(Bytes32, t("form.bytes32"))]}>
            <Input className="mono" placeholder="0x…" />
          </Form.Item>
          <Typography.Paragraph strong>{t("identity.dossier")}</Typography.Paragraph>
          <FileDrop id="kyc-upload" file={dossier} onChange={setDossier} hint={t("identity.dossierHint")} />
          {!dossier && (
            <Form.Item label={t("identity.dossierHash")} name="kycEvidenceHash" style={{ marginTop: 12 }} rules={[zodRule(Bytes32, t("form.bytes32"))]}>
              <Input className="mono" placeholder="0x…" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={register.isPending} style={{ marginTop: 16 }}>
            {t("identity.register")}
          </Button>
        </Form>
      </Col>
      <Col xs={24} lg={10}>
        <ErrorAlert error={register.error} />
        {r && isUnsigned(r) && <UnsignedTransactions reply={r} />}
        {r && !isUnsigned(r) && (
          <TxResult
            title={t("identity.registered")}
            txHash={r.txHash}
            rows={[
              [t("identity.did"), <Link to={`/identities?q=${encodeURIComponent(r.wallet)}`}><span className="mono" data-testid="registered-did">{r.did}</span></Link>],
              [t("identity.level"), `${r.level} · ${levelLabel(r.level, lang)}`],
              [t("identity.dossierHash"), <Hash value={r.evidenceHash} />],
              ...(r.evidenceTxHash ? ([[t("identity.dossierTx"), <Hash value={r.evidenceTxHash} />]] as Array<[string, React.ReactNode]>) : []),
            ]}
          />
        )}
      </Col>
    </Row>
  );
}

export default function RegisterPage() {
  const { t } = useI18n();
  const [mode, setMode] = useState<"single" | "csv">("single");
  return (
    <Page title={t("identity.registerTitle")} subtitle={t("identity.registerHint")}>
      <Segmented<"single" | "csv">
        aria-label={t("identity.registerMode")}
        value={mode}
        onChange={setMode}
        options={[
          { value: "single", label: t("identity.single") },
          { value: "csv", label: t("identity.fromCsv") },
        ]}
        style={{ marginBottom: 16 }}
      />
      <Panel>
        {mode === "single" ? (
          <SingleForm />
        ) : (
          <Suspense fallback={<Typography.Paragraph role="status">{t("app.loading")}</Typography.Paragraph>}>
            <CsvRegister />
          </Suspense>
        )}
      </Panel>
    </Page>
  );
}
