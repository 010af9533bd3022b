/** 网络: chain id, contract addresses, block height, index lag, IPFS mode, store kind, and each part's health. */
import Col from "antd/es/col";
import Descriptions from "antd/es/descriptions";
import Row from "antd/es/row";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { StatusTag } from "../../../components/StatusTag";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { useApi } from "../../../lib/session";
import { useQuery } from "@tanstack/react-query";
import { Health } from "../../../../../shared/api/system";
import { Panel } from "../../../components/Panel";

function Ok({ ok, testId }: { ok: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <StatusTag tone={ok ? "success" : "error"} testId={testId}>
      {ok ? t("network.healthy") : t("network.unhealthy")}
    </StatusTag>
  );
}

export default function NetworkPage() {
  const { t, tx } = useI18n();
  const api = useApi();
  const network = useRouteQuery("network", {}, { refetchInterval: 10_000 });
  // /healthz answers 503 with the same body when a part is down: read it either way.
  const health = useQuery({
    queryKey: ["health", {}],
    queryFn: async ({ signal }) => Health.parse((await api.send("health", { signal })).body),
    refetchInterval: 10_000,
  });
  const n = network.data;
  const h = health.data;
  return (
    <Page title={t("network.title")} subtitle={t("network.hint")}>
      <ErrorAlert error={network.error ?? health.error} />
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Panel title={t("network.chain")} loading={!n && !network.error} style={{ marginBottom: 16 }}>
            {n && (
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: "net", label: t("network.network"), children: n.network },
                  { key: "chain", label: t("network.chainId"), children: <span data-testid="chain-id">{n.chainId}</span> },
                  { key: "head", label: t("network.head"), children: n.head ?? "—" },
                  { key: "indexed", label: t("network.indexed"), children: n.indexedBlock ?? "—" },
                  { key: "lag", label: t("network.lag"), children: n.lag === null ? "—" : t("network.blocks", { n: n.lag }) },
                  { key: "conf", label: t("network.confirmations"), children: n.confirmations },
                  { key: "identity", label: tx("contracts.identity", "identity"), children: <Hash value={n.contracts.identityRegistry.address} full /> },
                  { key: "rights", label: tx("contracts.rights", "rights"), children: <Hash value={n.contracts.collectibleRights.address} full /> },
                  { key: "evidence", label: tx("contracts.evidence", "evidence"), children: <Hash value={n.contracts.evidenceRegistry.address} full /> },
                  { key: "ipfs", label: t("network.ipfs"), children: tx(`network.ipfsModes.${n.ipfs}`, n.ipfs) },
                  { key: "store", label: t("network.store"), children: n.store === "sqlite" ? "SQLite" : "PostgreSQL" },
                  { key: "version", label: t("network.version"), children: n.gatewayVersion },
                ]}
              />
            )}
          </Panel>
        </Col>
        <Col xs={24} xl={10}>
          <Panel title={t("network.health")} loading={!h && !health.error}>
            {h && (
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: "all", label: t("network.overall"), children: <Ok ok={h.ok} testId="health-overall" /> },
                  { key: "chain", label: t("network.chain"), children: <><Ok ok={h.chain.ok} /> {h.chain.ms} ms {h.chain.error ?? ""}</> },
                  { key: "ipfs", label: `${t("network.ipfs")} (${h.ipfs.kind})`, children: <><Ok ok={h.ipfs.ok} /> {h.ipfs.ms} ms {h.ipfs.error ?? ""}</> },
                  { key: "store", label: `${t("network.store")} (${h.store.kind})`, children: <><Ok ok={h.store.ok} /> {h.store.ms} ms {h.store.error ?? ""}</> },
                  ...(h.index ? [{ key: "index", label: t("network.indexLag"), children: h.index.lag === null ? "—" : t("network.blocks", { n: h.index.lag }) }] : []),
                ]}
              />
            )}
          </Panel>
        </Col>
      </Row>
    </Page>
  );
}
