/** 我的藏品: the issuer's collections with supply, holders and compliance reference, and its recent mint jobs. */
import Button from "antd/es/button";
import Typography from "antd/es/typography";
import { Link } from "react-router";
import type { CollectionSummary } from "../../../../../shared/api/queries";
import { modeLabel } from "../../../../../shared/domain";
import { DataTable } from "../../../components/DataTable";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { Pager, useCursor } from "../../../components/Pager";
import { StatusTag } from "../../../components/StatusTag";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useWhoAmI } from "../../auth/api/use-who-am-i";
import { recentJobs } from "../api/recent-jobs";
import { useMyCollections } from "../api/use-collections";
import { Panel } from "../../../components/Panel";

export default function MyCollectionsPage() {
  const { t, lang } = useI18n();
  const me = useWhoAmI();
  const pager = useCursor();
  const list = useMyCollections(me.data?.wallet, pager.cursor);
  const jobs = recentJobs();

  return (
    <Page
      title={t("issuer.myCollections")}
      subtitle={t("issuer.myCollectionsHint")}
      extra={
        <Link to="/issuer/new">
          <Button type="primary">{t("nav.createCollection")}</Button>
        </Link>
      }
    >
      <ErrorAlert error={list.error} />
      <DataTable<CollectionSummary>
        label={t("issuer.myCollections")}
        testId="collections-table"
        rowKey={(c) => c.collectionId}
        loading={list.isFetching}
        rows={list.data?.items ?? []}
        columns={[
          { key: "id", title: t("common.id"), render: (c) => <Link to={`/explorer/collections/${c.collectionId}`}>#{c.collectionId}</Link> },
          { key: "name", title: t("issuer.name"), render: (c) => c.name || "—" },
          {
            key: "supply",
            title: t("issuer.supply"),
            render: (c) => (
              <span>
                {t("issuer.supplyValue", { minted: c.minted, max: c.maxSupply })}
                {c.burned > 0 && <Typography.Text type="secondary"> · {t("issuer.burned", { burned: c.burned })}</Typography.Text>}
              </span>
            ),
          },
          { key: "holders", title: t("issuer.holders"), render: (c) => c.holders },
          { key: "mode", title: t("issuer.transferPolicy"), render: (c) => modeLabel(c.mode, lang) },
          {
            key: "status",
            title: t("common.status"),
            render: (c) => <StatusTag tone={c.status === "complete" ? "neutral" : "info"}>{t(c.status === "complete" ? "issuer.statusComplete" : "issuer.statusMinting")}</StatusTag>,
          },
          { key: "ref", title: t("issuer.complianceRef"), render: (c) => <Hash value={c.complianceRef} /> },
          { key: "created", title: t("common.created"), render: (c) => formatTime(c.createdAt, lang) },
          {
            key: "actions",
            title: t("common.actions"),
            render: (c) =>
              c.minted < c.maxSupply ? (
                <Link to={`/issuer/collections/${c.collectionId}/mint`} aria-label={t("issuer.mintTo", { id: c.collectionId })}>
                  {t("issuer.mint")}
                </Link>
              ) : null,
          },
        ]}
      />
      <Pager pager={pager} nextCursor={list.data?.nextCursor} loading={list.isFetching} />
      {jobs.length > 0 && (
        <Panel title={t("issuer.recentJobs")} style={{ marginTop: 24 }}>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {jobs.map((j) => (
              <li key={j.jobId} style={{ padding: "4px 0" }}>
                <Link to={`/issuer/jobs/${j.jobId}`}>{t("issuer.jobLine", { id: j.collectionId, n: j.recipients })}</Link>{" "}
                <Typography.Text type="secondary">{formatTime(j.startedAt, lang)}</Typography.Text>
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </Page>
  );
}
