/**
 * The printable provenance report: the verdict, the hashes, each integrity check with its reason and the
 * whole timeline, laid out for paper (print to PDF from the browser). No menu, no virtual list: every
 * entry is printed.
 */
import Button from "antd/es/button";
import Descriptions from "antd/es/descriptions";
import Space from "antd/es/space";
import Spin from "antd/es/spin";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import { useEffect } from "react";
import { Link, Navigate, useParams } from "react-router";
import type { CustodyEntry } from "../../../../../shared/api/tokens";
import { ErrorResult } from "../../../components/ErrorAlert";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useSession } from "../../../lib/session";
import { LanguageSwitch } from "../../../app/Shell";
import { downloadReport } from "../api/report";
import { useProvenance, useToken } from "../api/use-token";
import { IntegrityBadges, VerdictTag } from "./IntegrityBadges";
import { PartyView } from "./ProvenanceTimeline";

export default function ReportPage() {
  const { id = "" } = useParams();
  const { t, tx, lang } = useI18n();
  const { apiKey } = useSession();
  const token = useToken(id);
  const provenance = useProvenance(id);
  const p = provenance.data;
  useEffect(() => {
    document.title = t("report.docTitle", { id });
  }, [id, t]);
  if (!apiKey) return <Navigate to="/" replace />;

  return (
    <main style={{ maxWidth: 960, margin: "0 auto", padding: "24px 32px", background: "#fff" }}>
      <Space className="no-print" style={{ marginBottom: 16, width: "100%", justifyContent: "space-between" }}>
        <Link to={`/explorer/tokens/${id}`}>← {t("report.back")}</Link>
        <Space>
          <LanguageSwitch />
          {p && <Button onClick={() => downloadReport(token.data, p)}>{t("provenance.downloadJson")}</Button>}
          <Button type="primary" onClick={() => window.print()}>
            {t("report.print")}
          </Button>
        </Space>
      </Space>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t("report.title", { id })}
      </Typography.Title>
      {provenance.error && <ErrorResult error={provenance.error} />}
      {!p && !provenance.error && <Spin aria-label={t("app.loading")} />}
      {p && (
        <>
          <Typography.Paragraph type="secondary">
            {t("report.generated", { time: formatTime(new Date().toISOString(), lang), gateway: window.location.origin })}
          </Typography.Paragraph>
          <section className="print-avoid-break" data-testid="report-verdict">
            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t("report.verdict")} <VerdictTag verdict={p.integrity.verdict} />
            </Typography.Title>
            <IntegrityBadges checks={p.integrity.checks} withReasons />
          </section>
          <section className="print-avoid-break" style={{ marginTop: 24 }}>
            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t("report.hashes")}
            </Typography.Title>
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                { key: "token", label: t("common.token"), children: p.tokenId },
                { key: "collection", label: t("common.collection"), children: `#${p.collectionId} · ${t("provenance.edition")} ${p.edition}` },
                { key: "owner", label: t("provenance.owner"), children: <span className="mono">{token.data?.owner ?? "—"}</span> },
                { key: "content", label: t("explorer.contentHash"), children: <span className="mono">{p.contentHash}</span> },
                { key: "cid", label: t("explorer.metadataCid"), children: <span className="mono">{p.metadataCID}</span> },
                { key: "ref", label: t("issuer.complianceRef"), children: <span className="mono">{p.complianceRef}</span> },
                { key: "source", label: t("report.source"), children: tx(`report.sources.${p.source}`, p.source) },
              ]}
            />
          </section>
          <section style={{ marginTop: 24 }}>
            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t("provenance.timeline")} ({p.entries.length})
            </Typography.Title>
            <Table<CustodyEntry>
              size="small"
              rowKey={(e) => `${e.blockNumber}-${e.logIndex}`}
              dataSource={p.entries}
              pagination={false}
              columns={[
                { title: t("report.event"), dataIndex: "kind", render: (k: string, e) => `${tx(`custody.${k}`, k)}${e.forced ? ` (${t("provenance.forced")})` : ""}` },
                { title: t("common.time"), dataIndex: "time", render: (v: string) => formatTime(v, lang) },
                { title: t("common.block"), dataIndex: "blockNumber" },
                { title: t("report.parties"), key: "parties", render: (_, e) => (<><PartyView party={e.from} /> → <PartyView party={e.to} arrival={e.kind !== "burn" && !!e.to} /></>) },
                { title: t("common.transaction"), dataIndex: "txHash", render: (h: string) => <span className="mono">{h}</span> },
              ]}
            />
          </section>
        </>
      )}
    </main>
  );
}
