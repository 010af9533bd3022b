/**
 * 存证: record a document's sha256 in the EvidenceRegistry (e.g. an issuer's copyright certificate, which
 * counts for the rights rule only when recorded by an independent party such as the attestor), and look a
 * hash up. The hash is computed here first, so the person sees what will be recorded.
 */
import Button from "antd/es/button";
import Col from "antd/es/col";
import Descriptions from "antd/es/descriptions";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Row from "antd/es/row";
import Select from "antd/es/select";
import { useState } from "react";
import { EVIDENCE_KINDS } from "../../../../../shared/api/evidence";
import { Bytes32 } from "../../../../../shared/api/common";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { FileDrop } from "../../../components/FileDrop";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { TxResult } from "../../../components/WriteResult";
import { sha256Hex } from "../../../lib/files";
import { formatTime } from "../../../lib/format";
import { zodRule } from "../../../lib/form";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation, useRouteQuery } from "../../../lib/query";
import { contentKey } from "../api/keys";
import { Panel } from "../../../components/Panel";

export default function EvidencePage() {
  const { t, tx, lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [hash, setHash] = useState<string | null>(null);
  const [lookup, setLookup] = useState<string | undefined>();
  const record = useRouteMutation("recordEvidence", { invalidates: ["findEvidence"] });
  const found = useRouteQuery("findEvidence", lookup ? { params: { hash: lookup } } : undefined);

  const choose = async (f: File | null) => {
    setFile(f);
    setHash(f ? await sha256Hex(f) : null);
  };

  return (
    <Page title={t("evidence.title")} subtitle={t("evidence.hint")}>
      <Row gutter={24}>
        <Col xs={24} lg={12}>
          <Panel title={t("evidence.record")} style={{ marginBottom: 16 }}>
            <Form
              layout="vertical"
              name="evidence"
              initialValues={{ kind: "copyright", description: "" }}
              onFinish={async (v: { kind: (typeof EVIDENCE_KINDS)[number]; description: string }) => {
                if (!file) return;
                record.mutate({
                  body: v,
                  headers: { "idempotency-key": await contentKey("evidence", hash, v) },
                  files: { file: { bytes: file, filename: file.name, type: file.type } },
                });
              }}
            >
              <FileDrop id="evidence-upload" file={file} onChange={choose} hint={t("evidence.fileHint")} />
              {hash && (
                <p style={{ marginTop: 8 }}>
                  {t("evidence.sha256")}: <Hash value={hash} full testId="evidence-hash" />
                </p>
              )}
              <Form.Item label={t("evidence.kind")} name="kind" style={{ marginTop: 16 }}>
                <Select options={EVIDENCE_KINDS.map((k) => ({ value: k, label: tx(`evidence.kinds.${k}`, k) }))} />
              </Form.Item>
              <Form.Item label={t("evidence.description")} name="description">
                <Input maxLength={500} />
              </Form.Item>
              <Button type="primary" htmlType="submit" disabled={!file} loading={record.isPending}>
                {t("evidence.submit")}
              </Button>
            </Form>
            <div style={{ marginTop: 16 }}>
              <ErrorAlert error={record.error} />
              {record.data && (
                <TxResult
                  title={t("evidence.recorded")}
                  txHash={record.data.txHash}
                  blockNumber={record.data.blockNumber}
                  rows={[
                    [t("evidence.id"), <Hash value={record.data.evidenceId} />],
                    [t("evidence.sha256"), <Hash value={record.data.hash} />],
                  ]}
                />
              )}
            </div>
          </Panel>
        </Col>
        <Col xs={24} lg={12}>
          <Panel title={t("evidence.lookup")}>
            <Form layout="vertical" name="evidence-lookup" onFinish={(v: { hash: string }) => setLookup(v.hash.trim())}>
              <Form.Item label={t("evidence.sha256")} name="hash" rules={[{ required: true, message: t("form.required") }, zodRule(Bytes32, t("form.bytes32"))]}>
                <Input className="mono" placeholder="0x…" />
              </Form.Item>
              <Button htmlType="submit">{t("common.search")}</Button>
            </Form>
            <div style={{ marginTop: 16 }}>
              <ErrorAlert error={found.error} />
              {found.data && (
                <Descriptions
                  size="small"
                  column={1}
                  bordered
                  items={[
                    { key: "id", label: t("evidence.id"), children: <Hash value={found.data.evidenceId} /> },
                    { key: "writer", label: t("evidence.writer"), children: <Hash value={found.data.writer} /> },
                    { key: "version", label: t("evidence.version"), children: found.data.version },
                    { key: "at", label: t("common.time"), children: formatTime(found.data.recordedAt, lang) },
                    { key: "block", label: t("common.block"), children: found.data.blockNumber },
                    { key: "meta", label: t("evidence.metadata"), children: <span className="mono">{found.data.metadata}</span> },
                  ]}
                />
              )}
            </div>
          </Panel>
        </Col>
      </Row>
    </Page>
  );
}
