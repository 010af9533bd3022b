/** An account: its identity, holdings and licences, and whether it is frozen (GET /v1/accounts/:address). */
import Descriptions from "antd/es/descriptions";
import Table from "antd/es/table";
import { Link, useParams } from "react-router";
import type { TokenSummary } from "../../../../../shared/api/queries";
import { levelLabel, statusLabel } from "../../../../../shared/domain";
import { ErrorResult } from "../../../components/ErrorAlert";
import { Page } from "../../../components/Page";
import { StatusTag } from "../../../components/StatusTag";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { Panel } from "../../../components/Panel";

export default function AccountPage() {
  const { address = "" } = useParams();
  const { t, lang } = useI18n();
  const account = useRouteQuery("getAccount", { params: { address } });
  if (account.error) return <ErrorResult error={account.error} />;
  const a = account.data;
  return (
    <Page title={t("account.title")} subtitle={<span className="mono">{address}</span>}>
      <Panel style={{ marginBottom: 16 }} loading={!a}>
        {a && (
          <Descriptions
            size="small"
            column={{ xs: 1, lg: 2 }}
            items={[
              {
                key: "identity",
                label: t("identity.did"),
                children: a.identity ? <Link to={`/identities?q=${address}`} className="mono">{a.identity.did}</Link> : t("account.noIdentity"),
              },
              ...(a.identity
                ? [
                    { key: "level", label: t("identity.level"), children: levelLabel(a.identity.level, lang) },
                    { key: "status", label: t("common.status"), children: statusLabel(a.identity.status, lang) },
                    { key: "exp", label: t("identity.expiresAt"), children: formatTime(a.identity.expiresAt, lang) },
                  ]
                : []),
              { key: "frozen", label: t("account.wallet"), children: a.frozen ? <StatusTag tone="error">{t("provenance.walletFrozen")}</StatusTag> : <StatusTag tone="success">{t("account.notFrozen")}</StatusTag> },
              { key: "holdings", label: t("account.holdings"), children: a.holdingsTotal },
            ]}
          />
        )}
      </Panel>
      {a && (
        <Panel title={t("account.holdings")}>
          <Table<TokenSummary>
            rowKey="tokenId"
            size="small"
            dataSource={a.holdings}
            pagination={a.holdings.length > 50 ? { pageSize: 50 } : false}
            columns={[
              { title: t("common.token"), dataIndex: "tokenId", render: (v: string) => <Link to={`/explorer/tokens/${v}`}>{v}</Link> },
              { title: t("common.collection"), dataIndex: "collectionId", render: (v: string) => <Link to={`/explorer/collections/${v}`}>#{v}</Link> },
              { title: t("collection.serial"), dataIndex: "serial" },
              { title: t("common.status"), key: "s", render: (_, tk) => (tk.frozen ? <StatusTag tone="error">{t("provenance.frozen")}</StatusTag> : <StatusTag tone="success">{t("provenance.movable")}</StatusTag>) },
              { title: t("account.holdingEnds"), dataIndex: "holdingEndsAt", render: (v: string | null) => formatTime(v, lang) },
            ]}
          />
        </Panel>
      )}
    </Page>
  );
}
