/**
 * 创建藏品系列: media with a preview, name, description, attributes, licence terms, transfer policy and
 * copyright evidence. "Check" runs every compliance rule (POST /v1/collections/check) and shows each one
 * passed or failed before anything is submitted; "Submit" is possible only for the request that passed,
 * under one Idempotency-Key, and follows a 202 operation to its outcome.
 */
import MinusCircleOutlined from "@ant-design/icons/es/icons/MinusCircleOutlined";
import PlusOutlined from "@ant-design/icons/es/icons/PlusOutlined";
import Button from "antd/es/button";
import Checkbox from "antd/es/checkbox";
import Col from "antd/es/col";
import Form from "antd/es/form";
import Input from "antd/es/input";
import InputNumber from "antd/es/input-number";
import Radio from "antd/es/radio";
import Result from "antd/es/result";
import Row from "antd/es/row";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Typography from "antd/es/typography";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { Address } from "../../../../../shared/api/common";
import { CollectionRequest, type CreatedCollection } from "../../../../../shared/api/collections";
import type { ComplianceDecision } from "../../../../../shared/api/compliance";
import { LEVELS, RIGHTS, TRANSFER_MODES_INFO, levelLabel, type RightName, type TransferModeName } from "../../../../../shared/domain";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { FileDrop } from "../../../components/FileDrop";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { TxResult } from "../../../components/WriteResult";
import { randomKey } from "../../../lib/files";
import { zodRule } from "../../../lib/form";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation } from "../../../lib/query";
import { ComplianceResults } from "./ComplianceResults";
import { Panel } from "../../../components/Panel";

interface Values {
  name: string;
  description?: string;
  attributes?: Array<{ trait_type?: string; value?: string }>;
  editionSize: number;
  royaltyReceiver?: string;
  royaltyBps?: number;
  licenceText: string;
  rights: RightName[];
  mode: TransferModeName;
  holdingPeriodDays: number;
  minLevel: number;
}

const INITIAL: Partial<Values> = { editionSize: 100, rights: ["display", "personalUse"], mode: "GiftToVerified", holdingPeriodDays: 180, minLevel: 2, royaltyBps: 0 };

function toRequest(v: Values): CollectionRequest {
  const attributes = (v.attributes ?? [])
    .filter((a) => a && (a.trait_type ?? "").trim() !== "")
    .map((a) => ({ trait_type: (a.trait_type ?? "").trim(), value: a.value ?? "" }));
  return {
    name: (v.name ?? "").trim(),
    description: v.description ?? "",
    attributes,
    editionSize: v.editionSize,
    ...(v.royaltyReceiver ? { royalty: { receiver: v.royaltyReceiver.trim(), bps: v.royaltyBps ?? 0 } } : {}),
    licence: { text: v.licenceText ?? "", rights: v.rights ?? [] },
    transferPolicy: { mode: v.mode, holdingPeriodDays: v.holdingPeriodDays, minLevel: v.minLevel },
  } as CollectionRequest;
}

/** The form field that shows a request field's problem. */
const FIELD_OF: Record<string, string> = { licence: "licenceText", transferPolicy: "holdingPeriodDays", royalty: "royaltyReceiver" };

const fileSig = (f: File | null) => (f ? `${f.name}:${f.size}:${f.lastModified}` : "");

export default function CreateCollectionPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) as Values | undefined;
  const [media, setMedia] = useState<File | null>(null);
  const [copyright, setCopyright] = useState<File | null>(null);
  const [checked, setChecked] = useState<{ sig: string; decision: ComplianceDecision; key: string } | null>(null);
  const [pendingTx, setPendingTx] = useState<string | null>(null);

  const sig = useMemo(() => JSON.stringify([values ? toRequest(values) : null, fileSig(media), fileSig(copyright)]), [values, media, copyright]);
  const check = useRouteMutation("checkCollection");
  const create = useRouteMutation("createCollection", {
    invalidates: ["listCollections"],
    onPending: (op) => setPendingTx(op.txHash ?? null),
  });

  const runCheck = (v: Values) => {
    const request = toRequest(v);
    const parsed = CollectionRequest.safeParse(request);
    if (!parsed.success) {
      form.setFields(parsed.error.issues.slice(0, 5).map((i) => ({ name: (FIELD_OF[String(i.path[0])] ?? String(i.path[0] ?? "name")) as keyof Values, errors: [t("form.invalid")] })));
      return;
    }
    const key = randomKey("collection");
    const at = sig;
    check.mutate(
      {
        body: request,
        files: {
          media: media ? { bytes: media, filename: media.name, type: media.type } : undefined,
          copyrightEvidence: copyright ? { bytes: copyright, filename: copyright.name, type: copyright.type } : undefined,
        },
      },
      { onSuccess: (decision) => setChecked({ sig: at, decision, key }) },
    );
  };

  const submit = () => {
    if (!checked || !media || !copyright || !values) return;
    create.mutate({
      body: toRequest(values),
      headers: { "idempotency-key": checked.key },
      files: {
        media: { bytes: media, filename: media.name, type: media.type },
        copyrightEvidence: { bytes: copyright, filename: copyright.name, type: copyright.type },
      },
    });
  };

  const upToDate = checked !== null && checked.sig === sig;
  const canSubmit = upToDate && checked.decision.passed && media !== null && copyright !== null;

  if (create.data) {
    const c = create.data as CreatedCollection;
    return (
      <Page title={t("issuer.created")}>
        <Result
          status="success"
          title={t("issuer.createdTitle", { id: c.collectionId })}
          extra={[
            <Link key="mint" to={`/issuer/collections/${c.collectionId}/mint`}>
              <Button type="primary">{t("issuer.mintEditions")}</Button>
            </Link>,
            <Link key="list" to="/issuer">
              <Button>{t("nav.myCollections")}</Button>
            </Link>,
          ]}
        />
        <TxResult
          title={t("issuer.createdOnChain")}
          txHash={c.txHash}
          rows={[
            [t("common.collection"), `#${c.collectionId}`],
            [t("explorer.contentHash"), <Hash value={c.contentHash} full />],
            [t("explorer.metadataCid"), <Hash value={c.metadataCID} full />],
            [t("issuer.complianceRef"), <Hash value={c.complianceRef} full />],
          ]}
        />
      </Page>
    );
  }

  return (
    <Page title={t("issuer.createTitle")} subtitle={t("issuer.createHint")}>
      <Form<Values> form={form} layout="vertical" initialValues={INITIAL} name="collection" onFinish={runCheck}>
        <Row gutter={24}>
          <Col xs={24} lg={12}>
            <Panel title={t("issuer.media")} style={{ marginBottom: 16 }}>
              <FileDrop id="media-upload" file={media} onChange={setMedia} preview accept="image/*,video/mp4,audio/mpeg,.glb" hint={t("issuer.mediaHint")} />
            </Panel>
            <Panel title={t("issuer.details")} style={{ marginBottom: 16 }}>
              <Form.Item label={t("issuer.name")} name="name" rules={[{ required: true, message: t("form.required") }, zodRule(CollectionRequest.shape.name, t("form.invalid"))]}>
                <Input maxLength={128} />
              </Form.Item>
              <Form.Item label={t("issuer.description")} name="description" rules={[zodRule(CollectionRequest.shape.description, t("form.invalid"))]}>
                <Input.TextArea rows={4} maxLength={4000} showCount />
              </Form.Item>
              <Typography.Text strong>{t("issuer.attributes")}</Typography.Text>
              <Form.List name="attributes">
                {(fields, { add, remove }) => (
                  <div style={{ marginTop: 8 }}>
                    {fields.map((f, i) => (
                      <Space key={f.key} align="baseline" style={{ display: "flex" }}>
                        <Form.Item name={[f.name, "trait_type"]} rules={[{ required: true, message: t("form.required") }]}>
                          <Input placeholder={t("issuer.trait")} aria-label={t("issuer.traitN", { n: i + 1 })} maxLength={64} />
                        </Form.Item>
                        <Form.Item name={[f.name, "value"]}>
                          <Input placeholder={t("issuer.value")} aria-label={t("issuer.valueN", { n: i + 1 })} maxLength={256} />
                        </Form.Item>
                        <Button type="text" icon={<MinusCircleOutlined />} aria-label={t("issuer.removeAttribute", { n: i + 1 })} onClick={() => remove(f.name)} />
                      </Space>
                    ))}
                    <Button type="dashed" onClick={() => add({ trait_type: "", value: "" })} icon={<PlusOutlined />}>
                      {t("issuer.addAttribute")}
                    </Button>
                  </div>
                )}
              </Form.List>
            </Panel>
          </Col>
          <Col xs={24} lg={12}>
            <Panel title={t("issuer.licence")} style={{ marginBottom: 16 }}>
              <Form.Item label={t("issuer.licenceText")} name="licenceText" rules={[{ required: true, message: t("form.required") }]}>
                <Input.TextArea rows={3} maxLength={20000} />
              </Form.Item>
              {/* A validator, not `required`: antd would put aria-required on the group's <div>, which ARIA does not allow. */}
              <Form.Item
                label={t("issuer.rights")}
                name="rights"
                rules={[{ validator: async (_r, v: unknown[] | undefined) => { if (!v || v.length === 0) throw new Error(t("form.required")); } }]}
              >
                <Checkbox.Group options={RIGHTS.map((r) => ({ value: r.key, label: r[lang] }))} />
              </Form.Item>
              <Form.Item label={t("issuer.editionSize")} name="editionSize" rules={[{ required: true, message: t("form.required") }, zodRule(CollectionRequest.shape.editionSize, t("form.invalid"))]}>
                <InputNumber min={1} max={16_777_215} style={{ width: 200 }} />
              </Form.Item>
              <Row gutter={12}>
                <Col span={16}>
                  <Form.Item label={t("issuer.royaltyReceiver")} name="royaltyReceiver" rules={[zodRule(Address, t("form.address"))]}>
                    <Input placeholder="0x…" className="mono" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label={t("issuer.royaltyBps")} name="royaltyBps">
                    <InputNumber min={0} max={10000} style={{ width: "100%" }} />
                  </Form.Item>
                </Col>
              </Row>
            </Panel>
            <Panel title={t("issuer.transferPolicy")} style={{ marginBottom: 16 }}>
              <Form.Item label={t("issuer.mode")} name="mode" rules={[{ required: true, message: t("form.required") }]}>
                <Radio.Group options={TRANSFER_MODES_INFO.map((m) => ({ value: m.key, label: m[lang] }))} />
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item label={t("issuer.holdingDays")} name="holdingPeriodDays" rules={[{ required: true, message: t("form.required") }]}>
                    <InputNumber min={0} max={36500} style={{ width: "100%" }} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label={t("issuer.minLevel")} name="minLevel" rules={[{ required: true, message: t("form.required") }]}>
                    <Select options={LEVELS.filter((l) => l.value >= 1).map((l) => ({ value: l.value, label: `${l.value} · ${levelLabel(l.value, lang)}` }))} />
                  </Form.Item>
                </Col>
              </Row>
            </Panel>
            <Panel title={t("issuer.copyright")} style={{ marginBottom: 16 }}>
              <FileDrop id="copyright-upload" file={copyright} onChange={setCopyright} hint={t("issuer.copyrightHint")} />
            </Panel>
          </Col>
        </Row>
        <ErrorAlert error={check.error ?? create.error} />
        {checked && (
          <div style={{ marginBottom: 16 }}>
            {!upToDate && <Typography.Paragraph type="warning">{t("issuer.changedSinceCheck")}</Typography.Paragraph>}
            <ComplianceResults decision={checked.decision} />
          </div>
        )}
        {create.isPending && <Typography.Paragraph role="status">{pendingTx ? t("write.pendingTx", { tx: pendingTx }) : t("write.submitting")}</Typography.Paragraph>}
        <Space>
          <Button htmlType="submit" loading={check.isPending} disabled={create.isPending}>
            {t("issuer.check")}
          </Button>
          <Button type="primary" onClick={submit} disabled={!canSubmit} loading={create.isPending}>
            {t("issuer.submit")}
          </Button>
          {!canSubmit && <Typography.Text type="secondary">{t("issuer.submitHint")}</Typography.Text>}
        </Space>
      </Form>
    </Page>
  );
}
