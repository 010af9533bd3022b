/**
 * 铸造: recipients pasted or uploaded as CSV, each row pre-checked (address, duplicates, identity level,
 * status and expiry) before submission; then one mint job under an Idempotency-Key that stays the same
 * for the same list, so a retry never mints twice. The job page follows it live.
 */
import UploadOutlined from "@ant-design/icons/es/icons/UploadOutlined";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Descriptions from "antd/es/descriptions";
import Input from "antd/es/input";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import Upload from "antd/es/upload";
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { levelLabel, modeLabel } from "../../../../../shared/domain";
import { ErrorAlert, ErrorResult, useReadableError } from "../../../components/ErrorAlert";
import { Page } from "../../../components/Page";
import { StatusTag } from "../../../components/StatusTag";
import { formatTime } from "../../../lib/format";
import { randomKey } from "../../../lib/files";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation } from "../../../lib/query";
import { useApi } from "../../../lib/session";
import { useMutation } from "@tanstack/react-query";
import { recentJobs, rememberJob } from "../api/recent-jobs";
import { addressesOf, precheckRecipients, type RecipientRow } from "../api/precheck";
import { useCollection } from "../api/use-collections";
import { Panel } from "../../../components/Panel";

/** The same list for the same collection keeps its Idempotency-Key, even across a reload. */
function idempotencyKeyFor(collectionId: string, recipients: readonly string[]): string {
  const sig = `${collectionId}|${recipients.map((r) => r.toLowerCase()).join(",")}`;
  const store = `dareg.mintKey.${collectionId}`;
  try {
    const saved = JSON.parse(sessionStorage.getItem(store) ?? "null") as { sig: string; key: string } | null;
    if (saved?.sig === sig) return saved.key;
    const key = randomKey(`mint-${collectionId}`);
    sessionStorage.setItem(store, JSON.stringify({ sig, key }));
    return key;
  } catch {
    return randomKey(`mint-${collectionId}`);
  }
}

export default function MintPage() {
  const { id = "" } = useParams();
  const { t, lang } = useI18n();
  const api = useApi();
  const navigate = useNavigate();
  const read = useReadableError();
  const collection = useCollection(id);
  const [text, setText] = useState("");
  const [rows, setRows] = useState<RecipientRow[] | null>(null);
  const precheck = useMutation({
    mutationFn: (addresses: string[]) => precheckRecipients(api, addresses, id, collection.data!.transferPolicy.minLevel),
    onSuccess: setRows,
  });
  const mint = useRouteMutation("enqueueMint", { invalidates: ["listCollections", "getCollection"] });
  const running = recentJobs().filter((j) => j.collectionId === id);

  const valid = useMemo(() => (rows ?? []).filter((r) => r.ok).map((r) => r.address), [rows]);
  const remaining = collection.data ? collection.data.maxSupply - collection.data.minted : 0;

  const problemText = (r: RecipientRow): string => {
    const p = r.problem;
    if (!p) return t("mint.ok");
    switch (p.kind) {
      case "invalid":
        return t("mint.invalid");
      case "duplicate":
        return t("mint.duplicate", { row: p.of });
      case "noIdentity":
        return t("mint.noIdentity");
      case "status":
        return t("mint.badStatus", { status: p.status });
      case "expired":
        return t("mint.expired", { at: formatTime(p.expiresAt, lang) });
      case "level":
        return t("mint.levelLow", { level: `${p.level} · ${levelLabel(p.level, lang)}`, required: `${p.required} · ${levelLabel(p.required, lang)}` });
      case "refused":
        return p.reason;
      case "error": {
        const e = read(p.error);
        return `${e.message}${e.code ? ` (${e.code})` : ""}`;
      }
    }
  };

  const submit = () =>
    mint.mutate(
      { params: { id }, body: { recipients: valid }, headers: { "idempotency-key": idempotencyKeyFor(id, valid) } },
      {
        onSuccess: (reply) => {
          rememberJob({ jobId: reply.jobId, collectionId: id, recipients: reply.recipients, startedAt: new Date().toISOString() });
          navigate(`/issuer/jobs/${reply.jobId}`);
        },
      },
    );

  if (collection.error) return <ErrorResult error={collection.error} />;
  const c = collection.data;

  return (
    <Page title={t("mint.title", { id })} subtitle={t("mint.hint")}>
      {c && (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 3 }}
          style={{ marginBottom: 16 }}
          items={[
            { key: "supply", label: t("issuer.supply"), children: t("issuer.supplyValue", { minted: c.minted, max: c.maxSupply }) },
            { key: "level", label: t("issuer.minLevel"), children: `${c.transferPolicy.minLevel} · ${levelLabel(c.transferPolicy.minLevel, lang)}` },
            { key: "mode", label: t("issuer.mode"), children: modeLabel(c.transferPolicy.mode, lang) },
          ]}
        />
      )}
      {running.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("mint.earlierJobs")}
          description={
            <Space wrap>
              {running.slice(0, 5).map((j) => (
                <Link key={j.jobId} to={`/issuer/jobs/${j.jobId}`}>
                  {t("issuer.jobLine", { id: j.collectionId, n: j.recipients })} · {formatTime(j.startedAt, lang)}
                </Link>
              ))}
            </Space>
          }
        />
      )}
      <Panel title={t("mint.recipients")} style={{ marginBottom: 16 }}>
        <label htmlFor="recipients" className="visually-hidden">
          {t("mint.recipients")}
        </label>
        <Input.TextArea
          id="recipients"
          rows={6}
          className="mono"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setRows(null);
          }}
          placeholder={t("mint.placeholder")}
        />
        <Space style={{ marginTop: 12 }} wrap>
          <Upload
            accept=".csv,text/csv,text/plain"
            showUploadList={false}
            beforeUpload={async (f) => {
              setText(await f.text());
              setRows(null);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />}>{t("mint.uploadCsv")}</Button>
          </Upload>
          <Button onClick={() => precheck.mutate(addressesOf(text))} loading={precheck.isPending} disabled={!c || addressesOf(text).length === 0}>
            {t("mint.precheck")}
          </Button>
          <Typography.Text type="secondary">{t("mint.csvHint")}</Typography.Text>
        </Space>
      </Panel>
      <ErrorAlert error={precheck.error ?? mint.error} />
      {rows && (
        <Panel
          title={<h2 className="card-title">{t("mint.precheckResult", { ok: valid.length, total: rows.length })}</h2>}
          extra={
            <Button type="primary" onClick={submit} loading={mint.isPending} disabled={valid.length === 0 || valid.length > remaining}>
              {t("mint.submit", { n: valid.length })}
            </Button>
          }
        >
          {valid.length > remaining && <Alert type="error" showIcon title={t("mint.overSupply", { remaining })} style={{ marginBottom: 12 }} />}
          {valid.length < rows.length && <Alert type="warning" showIcon title={t("mint.skipped", { n: rows.length - valid.length })} style={{ marginBottom: 12 }} />}
          <Table<RecipientRow>
            rowKey="row"
            size="small"
            dataSource={rows}
            pagination={rows.length > 50 ? { pageSize: 50 } : false}
            columns={[
              { title: t("mint.row"), dataIndex: "row", width: 70 },
              { title: t("common.address"), dataIndex: "address", render: (a: string) => <span className="mono">{a}</span> },
              { title: t("identity.level"), dataIndex: "level", render: (l: number | null) => (l === null ? "—" : `${l} · ${levelLabel(l, lang)}`) },
              { title: t("identity.expiresAt"), dataIndex: "expiresAt", render: (v: string | null) => formatTime(v, lang) },
              {
                title: t("mint.check"),
                key: "check",
                render: (_, r) => (
                  <span data-testid={`precheck-${r.row}`}>
                    <StatusTag tone={r.ok ? "success" : "error"}>{r.ok ? t("mint.pass") : t("mint.fail")}</StatusTag>
                    {!r.ok && problemText(r)}
                  </span>
                ),
              },
            ]}
          />
        </Panel>
      )}
    </Page>
  );
}
