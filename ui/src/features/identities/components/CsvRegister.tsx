/**
 * Identities from a CSV: each row checked against the shared schema first, then registered one by one
 * under an Idempotency-Key derived from the row, with its own result. Loaded when its tab is opened.
 */
import UploadOutlined from "@ant-design/icons/es/icons/UploadOutlined";
import Button from "antd/es/button";
import Input from "antd/es/input";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import Upload from "antd/es/upload";
import { useState } from "react";
import { RegisterIdentityBody } from "../../../../../shared/api/identities";
import { levelLabel } from "../../../../../shared/domain";
import { useReadableError } from "../../../components/ErrorAlert";
import { StatusTag } from "../../../components/StatusTag";
import { isUnsigned } from "../../../components/WriteResult";
import { csvRecords } from "../../../lib/files";
import { useI18n } from "../../../lib/i18n";
import { settle } from "../../../lib/query";
import { useApi } from "../../../lib/session";
import { contentKey, isoDateTime } from "../api/keys";

const CSV_COLUMNS = ["wallet", "level", "jurisdiction", "expiresAt", "kycEvidenceHash", "identityId"] as const;

interface CsvRow {
  row: number;
  body: RegisterIdentityBody | null;
  raw: Record<string, string>;
  state: "invalid" | "ready" | "sending" | "done" | "failed";
  did?: string;
  txHash?: string;
  error?: unknown;
}

function parseRows(text: string): CsvRow[] {
  return csvRecords(text, CSV_COLUMNS).map((raw, i) => {
    const candidate = {
      wallet: raw.wallet,
      level: Number(raw.level),
      jurisdiction: raw.jurisdiction ? Number(raw.jurisdiction) : 156,
      expiresAt: isoDateTime(raw.expiresAt ?? ""),
      ...(raw.kycEvidenceHash ? { kycEvidenceHash: raw.kycEvidenceHash } : {}),
      ...(raw.identityId ? { identityId: raw.identityId } : {}),
    };
    const parsed = RegisterIdentityBody.safeParse(candidate);
    const ok = parsed.success && !!parsed.data.kycEvidenceHash;
    return { row: i + 1, raw, body: ok ? parsed.data : null, state: ok ? "ready" : "invalid" };
  });
}

export default function CsvRegister() {
  const { t, lang } = useI18n();
  const api = useApi();
  const read = useReadableError();
  const [text, setText] = useState("");
  const [rows, setRows] = useState<CsvRow[]>([]);
  const [busy, setBusy] = useState(false);

  const update = (row: number, patch: Partial<CsvRow>) => setRows((rs) => rs.map((r) => (r.row === row ? { ...r, ...patch } : r)));

  const registerAll = async () => {
    setBusy(true);
    for (const r of rows) {
      if (!r.body || r.state === "done") continue;
      update(r.row, { state: "sending", error: undefined });
      try {
        const reply = await settle(
          api,
          await api.call("registerIdentity", { body: r.body, headers: { "idempotency-key": await contentKey("identity", r.body, null) } }),
        );
        if (isUnsigned(reply)) update(r.row, { state: "failed", error: new Error("unsigned") });
        else update(r.row, { state: "done", did: reply.did, txHash: reply.txHash });
      } catch (e) {
        update(r.row, { state: "failed", error: e });
      }
    }
    setBusy(false);
  };

  const ready = rows.filter((r) => r.state === "ready" || r.state === "failed").length;
  return (
    <>
      <Typography.Paragraph>{t("identity.csvHint")}</Typography.Paragraph>
      <Typography.Paragraph className="mono" type="secondary">
        wallet,level,jurisdiction,expiresAt,kycEvidenceHash
      </Typography.Paragraph>
      <label htmlFor="identities-csv" className="visually-hidden">
        {t("identity.csv")}
      </label>
      <Input.TextArea id="identities-csv" rows={5} className="mono" value={text} onChange={(e) => setText(e.target.value)} />
      <div style={{ display: "flex", gap: 8, marginTop: 12, flexWrap: "wrap" }}>
        <Upload
          accept=".csv,text/csv,text/plain"
          showUploadList={false}
          beforeUpload={async (f) => {
            const s = await f.text();
            setText(s);
            setRows(parseRows(s));
            return false;
          }}
        >
          <Button icon={<UploadOutlined />}>{t("identity.uploadCsv")}</Button>
        </Upload>
        <Button onClick={() => setRows(parseRows(text))} disabled={!text.trim() || busy}>
          {t("identity.checkRows")}
        </Button>
        <Button type="primary" onClick={registerAll} disabled={ready === 0} loading={busy}>
          {t("identity.registerRows", { n: ready })}
        </Button>
      </div>
      {rows.length > 0 && (
        <Table<CsvRow>
          style={{ marginTop: 16 }}
          rowKey="row"
          size="small"
          dataSource={rows}
          pagination={false}
          scroll={{ x: 800 }}
          columns={[
            { title: t("mint.row"), dataIndex: "row", width: 60 },
            { title: t("identity.wallet"), key: "wallet", render: (_, r) => <span className="mono">{r.raw.wallet}</span> },
            { title: t("identity.level"), key: "level", render: (_, r) => (r.body ? levelLabel(r.body.level, lang) : r.raw.level) },
            {
              title: t("identity.result"),
              key: "result",
              render: (_, r) => {
                const tone = r.state === "done" ? "success" : r.state === "invalid" || r.state === "failed" ? "error" : r.state === "sending" ? "info" : "neutral";
                let detail: React.ReactNode = null;
                if (r.state === "invalid") detail = t("identity.rowInvalid");
                if (r.state === "done") detail = <span className="mono">{r.did}</span>;
                if (r.state === "failed" && r.error) {
                  const e = read(r.error);
                  detail = (
                    <>
                      {e.message} {e.code && <Typography.Text code>{e.code}</Typography.Text>}
                    </>
                  );
                }
                return (
                  <span data-testid={`csv-row-${r.row}`} data-state={r.state}>
                    <StatusTag tone={tone}>{t(`identity.rowState.${r.state}`)}</StatusTag>
                    {detail}
                  </span>
                );
              },
            },
          ]}
        />
      )}
    </>
  );
}
