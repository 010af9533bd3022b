/** 角色: who holds which role on which contract, from the index (GET /v1/roles). */
import Table from "antd/es/table";
import type { z } from "zod";
import type { RoleHolder } from "../../../../../shared/api/queries";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { Link } from "react-router";

type Holder = z.infer<typeof RoleHolder>;

export default function RolesPage() {
  const { t, tx } = useI18n();
  const roles = useRouteQuery("listRoles", {});
  return (
    <Page title={t("roles.title")} subtitle={t("roles.hint")}>
      <ErrorAlert error={roles.error} />
      <Table<Holder>
        rowKey={(r) => `${r.contract}-${r.roleHash}-${r.account}`}
        size="small"
        loading={roles.isLoading}
        dataSource={roles.data?.roles ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t("roles.contract"), dataIndex: "contract", render: (c: string) => tx(`contracts.${c}`, c) },
          { title: t("roles.role"), dataIndex: "role", render: (r: string) => tx(`chainRoles.${r}`, r) },
          { title: t("roles.account"), dataIndex: "account", render: (a: string) => <Link to={`/explorer/accounts/${a}`} className="mono">{a}</Link> },
          { title: t("roles.grantedBlock"), dataIndex: "grantedBlock" },
          { title: t("common.transaction"), dataIndex: "txHash", render: (h: string) => <Hash value={h} /> },
        ]}
      />
    </Page>
  );
}
