/**
 * 藏品溯源: a token's provenance — integrity badges (CID, media hash, compliance reference, custody), the
 * custody timeline, the transfer pre-flight, and the report as JSON or as a printable page.
 */
import Button from "antd/es/button";
import Col from "antd/es/col";
import Descriptions from "antd/es/descriptions";
import Row from "antd/es/row";
import Skeleton from "antd/es/skeleton";
import Space from "antd/es/space";
import { Link, useParams } from "react-router";
import { ErrorResult, ErrorAlert } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { StatusTag } from "../../../components/StatusTag";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useWhoAmI } from "../../auth/api/use-who-am-i";
import { downloadReport } from "../api/report";
import { useProvenance, useToken } from "../api/use-token";
import { IntegrityBadges, VerdictTag } from "./IntegrityBadges";
import { ProvenanceTimeline } from "./ProvenanceTimeline";
import { TransferCheck } from "./TransferCheck";
import { Panel } from "../../../components/Panel";

export default function TokenPage() {
  const { id = "" } = useParams();
  const { t, lang } = useI18n();
  const me = useWhoAmI();
  const token = useToken(id);
  const provenance = useProvenance(id);
  const p = provenance.data;
  const tk = token.data;

  if (token.error && provenance.error) return <ErrorResult error={token.error} />;

  return (
    <Page
      title={t("provenance.title", { id })}
      subtitle={p ? t("provenance.subtitle", { collection: p.collectionId, edition: p.edition }) : undefined}
      extra={
        <Space wrap className="no-print">
          {/* Shown once there is something to download (no disabled state: its fade would be read mid-way by axe). */}
          {p && <Button onClick={() => downloadReport(tk, p)}>{t("provenance.downloadJson")}</Button>}
          <Link to={`/explorer/tokens/${id}/report`}>
            <Button type="primary">{t("provenance.printable")}</Button>
          </Link>
          {me.data?.role === "regulator" && (
            <Link to={`/regulator/actions?action=${tk?.frozen ? "unfreezeToken" : "freezeToken"}&target=${id}`}>
              <Button danger>{tk?.frozen ? t("actions.unfreezeToken") : t("actions.freezeToken")}</Button>
            </Link>
          )}
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Panel
            title={<h2 className="card-title">{t("provenance.integrity")}</h2>}
            extra={p && <VerdictTag verdict={p.integrity.verdict} testId="overall-verdict" />}
            style={{ marginBottom: 16 }}
          >
            <ErrorAlert error={provenance.error} />
            {p ? <IntegrityBadges checks={p.integrity.checks} /> : !provenance.error && <Skeleton active paragraph={{ rows: 1 }} />}
          </Panel>
          <Panel title={t("provenance.timeline")} style={{ marginBottom: 16 }} extra={p && t("provenance.entries", { n: p.entries.length })}>
            {p ? <ProvenanceTimeline entries={p.entries} /> : <Skeleton active />}
          </Panel>
        </Col>
        <Col xs={24} xl={10}>
          <Panel title={t("provenance.token")} style={{ marginBottom: 16 }}>
            <ErrorAlert error={token.error} />
            {tk ? (
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: "owner", label: t("provenance.owner"), children: <Link to={`/explorer/accounts/${tk.owner}`} className="mono">{tk.owner}</Link> },
                  { key: "collection", label: t("common.collection"), children: <Link to={`/explorer/collections/${tk.collectionId}`}>#{tk.collectionId}</Link> },
                  { key: "edition", label: t("provenance.edition"), children: `${tk.edition} / ${tk.maxSupply}` },
                  { key: "acquired", label: t("provenance.acquiredAt"), children: formatTime(tk.acquiredAt, lang) },
                  {
                    key: "state",
                    label: t("common.status"),
                    children: (
                      <span data-testid="token-state">
                        {tk.frozen && <StatusTag tone="error">{t("provenance.frozen")}</StatusTag>}
                        {tk.ownerWalletFrozen && <StatusTag tone="error">{t("provenance.walletFrozen")}</StatusTag>}
                        {tk.locked && <StatusTag tone="neutral">{t("provenance.locked")}</StatusTag>}
                        {!tk.frozen && !tk.ownerWalletFrozen && !tk.locked && <StatusTag tone="success">{t("provenance.movable")}</StatusTag>}
                      </span>
                    ),
                  },
                  { key: "content", label: t("explorer.contentHash"), children: <Hash value={tk.contentHash} /> },
                  ...(p
                    ? [
                        { key: "cid", label: t("explorer.metadataCid"), children: <Hash value={p.metadataCID} /> },
                        { key: "ref", label: t("issuer.complianceRef"), children: <Hash value={p.complianceRef} /> },
                      ]
                    : []),
                  { key: "licences", label: t("provenance.licences"), children: tk.licences.filter((l) => l.inForce).length },
                ]}
              />
            ) : (
              !token.error && <Skeleton active />
            )}
          </Panel>
          <Panel title={t("preflight.title")} style={{ marginBottom: 16 }}>
            <TransferCheck tokenId={id} />
          </Panel>
        </Col>
      </Row>
    </Page>
  );
}
