/** A collection: its on-chain record and its editions by serial (GET /v1/collections/:id, /tokens). */
import Descriptions from "antd/es/descriptions";
import Table from "antd/es/table";
import { Link, useParams } from "react-router";
import type { TokenSummary } from "../../../../../shared/api/queries";
import { levelLabel, modeLabel, rightLabel } from "../../../../../shared/domain";
import { ErrorAlert, ErrorResult } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { Pager, useCursor } from "../../../components/Pager";
import { StatusTag } from "../../../components/StatusTag";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { Panel } from "../../../components/Panel";

export default function CollectionPage() {
  const { id = "" } = useParams();
  const { t, lang } = useI18n();
  const pager = useCursor();
  const collection = useRouteQuery("getCollection", { params: { id } });
  const tokens = useRouteQuery("listCollectionTokens", { params: { id }, query: { cursor: pager.cursor, limit: 50 } }, { placeholderData: (p) => p });
  if (collection.error) return <ErrorResult error={collection.error} />;
  const c = collection.data;
  return (
    <Page title={t("collection.title", { id })}>
      <Panel style={{ marginBottom: 16 }} loading={!c}>
        {c && (
          <Descriptions
            size="small"
            column={{ xs: 1, lg: 2 }}
            items={[
              { key: "issuer", label: t("collection.issuer"), children: <Link to={`/explorer/accounts/${c.issuer}`} className="mono">{c.issuerDid || c.issuer}</Link> },
              { key: "supply", label: t("issuer.supply"), children: `${t("issuer.supplyValue", { minted: c.minted, max: c.maxSupply })} · ${t("issuer.burned", { burned: c.burned })}` },
              { key: "mode", label: t("issuer.mode"), children: modeLabel(c.transferPolicy.mode, lang) },
              { key: "level", label: t("issuer.minLevel"), children: levelLabel(c.transferPolicy.minLevel, lang) },
              { key: "hold", label: t("issuer.holdingDays"), children: Math.round(c.transferPolicy.holdingPeriodSeconds / 86400) },
              { key: "rights", label: t("issuer.rights"), children: c.rights.map((r) => rightLabel(r, lang)).join("、") },
              { key: "content", label: t("explorer.contentHash"), children: <Hash value={c.contentHash} /> },
              { key: "cid", label: t("explorer.metadataCid"), children: <Hash value={c.metadataCID} /> },
              { key: "licence", label: t("collection.licenceCid"), children: <Hash value={c.licenceCID} /> },
              { key: "ref", label: t("issuer.complianceRef"), children: <Hash value={c.complianceRef} /> },
              { key: "created", label: t("common.created"), children: formatTime(c.createdAt, lang) },
            ]}
          />
        )}
      </Panel>
      <Panel title={t("collection.tokens")}>
        <ErrorAlert error={tokens.error} />
        <Table<TokenSummary>
          rowKey="tokenId"
          size="small"
          loading={tokens.isFetching}
          dataSource={tokens.data?.items ?? []}
          pagination={false}
          scroll={{ x: 800 }}
          columns={[
            { title: t("collection.serial"), dataIndex: "serial" },
            { title: t("common.token"), dataIndex: "tokenId", render: (v: string) => <Link to={`/explorer/tokens/${v}`}>{v}</Link> },
            { title: t("provenance.owner"), dataIndex: "owner", render: (o: string | null) => (o ? <Link to={`/explorer/accounts/${o}`} className="mono">{o}</Link> : "—") },
            {
              title: t("common.status"),
              key: "state",
              render: (_, tk) =>
                tk.burned ? <StatusTag tone="error">{t("collection.burned")}</StatusTag> : tk.frozen ? <StatusTag tone="error">{t("provenance.frozen")}</StatusTag> : <StatusTag tone="success">{t("provenance.movable")}</StatusTag>,
            },
            { title: t("provenance.acquiredAt"), dataIndex: "acquiredAt", render: (v: string) => formatTime(v, lang) },
          ]}
        />
        <Pager pager={pager} nextCursor={tokens.data?.nextCursor} loading={tokens.isFetching} />
      </Panel>
    </Page>
  );
}
