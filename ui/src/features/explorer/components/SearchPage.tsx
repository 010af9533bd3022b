/** 浏览: search by token, collection, address, DID, content hash, transaction or CID (GET /v1/search). */
import Input from "antd/es/input";
import Typography from "antd/es/typography";
import { Link, useSearchParams } from "react-router";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Page } from "../../../components/Page";
import { Panel } from "../../../components/Panel";
import { StatusTag } from "../../../components/StatusTag";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { hitLink } from "../api/hit-link";

export default function SearchPage() {
  const { t, tx } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const search = useRouteQuery("search", q ? { query: { q } } : undefined);

  return (
    <Page title={t("explorer.searchTitle")} subtitle={t("explorer.searchHint")}>
      <div style={{ maxWidth: 720, marginBottom: 16 }}>
        <label htmlFor="search-q" style={{ display: "block", marginBottom: 6 }}>
          {t("explorer.searchLabel")}
        </label>
        <Input.Search
          id="search-q"
          key={q}
          defaultValue={q}
          className="mono"
          placeholder={t("explorer.searchPlaceholder")}
          enterButton={t("common.search")}
          maxLength={200}
          allowClear
          loading={search.isFetching}
          onSearch={(v) => v.trim() && setParams({ q: v.trim() })}
        />
      </div>
      <ErrorAlert error={search.error} />
      {search.data && (
        <Panel title={t("explorer.hits", { n: search.data.hits.length })}>
          {search.data.hits.length === 0 && <Typography.Text>{t("explorer.noHits")}</Typography.Text>}
          <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {search.data.hits.map((hit) => {
              const to = hitLink(hit);
              return (
                <li key={`${hit.type}:${hit.id}`} data-testid="search-hit" style={{ padding: "10px 0", borderBottom: "1px solid #f0f0f0" }}>
                  <StatusTag tone="info">{tx(`hitTypes.${hit.type}`, hit.type)}</StatusTag>
                  {to ? <Link to={to}>{hit.label}</Link> : <Typography.Text>{hit.label}</Typography.Text>}
                  <div>
                    <Typography.Text type="secondary" className="mono">
                      {hit.id}
                    </Typography.Text>
                  </div>
                </li>
              );
            })}
          </ul>
        </Panel>
      )}
    </Page>
  );
}
