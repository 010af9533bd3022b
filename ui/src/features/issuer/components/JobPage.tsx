/**
 * A mint job, live: a progress bar, the job's state and reason, and a state and reason for each
 * recipient (GET /v1/jobs/:id, polled until done or failed). The URL is the job: leaving and coming back
 * resumes it.
 */
import Descriptions from "antd/es/descriptions";
import Progress from "antd/es/progress";
import Steps from "antd/es/steps";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import { Link, useParams } from "react-router";
import type { JobView } from "../../../../../shared/api/mint";
import { ErrorResult } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { StatusTag, type Tone } from "../../../components/StatusTag";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { Panel } from "../../../components/Panel";

type Item = JobView["items"][number];
const ITEM_TONE: Record<Item["state"], Tone> = { pending: "neutral", submitted: "info", minted: "success", failed: "error" };
const finished = (j: JobView | undefined) => j?.state === "done" || j?.state === "failed";

export default function JobPage() {
  const { jobId = "" } = useParams();
  const { t, tx, lang } = useI18n();
  const job = useRouteQuery("getJob", { params: { id: jobId } }, { refetchInterval: (q) => (finished(q.state.data) ? false : 1000) });

  if (job.error) return <ErrorResult error={job.error} />;
  const j = job.data;
  const done = j ? j.counts.minted + j.counts.failed : 0;
  const percent = j && j.counts.total > 0 ? Math.floor((done / j.counts.total) * 100) : 0;
  const step = !j ? 0 : j.state === "queued" ? 0 : j.state === "running" ? 1 : 2;

  return (
    <Page title={t("job.title")} subtitle={j ? t("job.subtitle", { id: j.collectionId, n: j.counts.total }) : undefined}>
      <Panel style={{ marginBottom: 16 }} loading={!j}>
        {j && (
          <>
            <Steps
              current={step}
              status={j.state === "failed" ? "error" : j.state === "done" ? "finish" : "process"}
              items={[{ title: t("job.queued") }, { title: t("job.running") }, { title: j.state === "failed" ? t("job.failed") : t("job.done") }]}
              style={{ marginBottom: 24 }}
            />
            <Progress
              percent={percent}
              status={j.state === "failed" ? "exception" : j.state === "done" ? "success" : "active"}
              aria-label={t("job.progress")}
              data-testid="job-progress"
            />
            <Descriptions
              size="small"
              column={{ xs: 1, md: 3 }}
              style={{ marginTop: 16 }}
              items={[
                {
                  key: "state",
                  label: t("common.status"),
                  children: (
                    <span data-testid="job-state" data-state={j.state}>
                      <StatusTag tone={j.state === "done" ? "success" : j.state === "failed" ? "error" : "info"}>{tx(`job.${j.state}`, j.state)}</StatusTag>
                    </span>
                  ),
                },
                { key: "counts", label: t("job.counts"), children: t("job.countsValue", { ...j.counts }) },
                { key: "updated", label: t("job.updated"), children: formatTime(j.updatedAt, lang) },
                ...(j.reason ? [{ key: "reason", label: t("job.reason"), children: j.reason }] : []),
                { key: "collection", label: t("common.collection"), children: <Link to={`/explorer/collections/${j.collectionId}`}>#{j.collectionId}</Link> },
                { key: "key", label: t("job.idempotencyKey"), children: <Typography.Text className="mono">{j.idempotencyKey}</Typography.Text> },
              ]}
            />
          </>
        )}
      </Panel>
      {j && (
        <Table<Item>
          rowKey="idx"
          size="small"
          dataSource={j.items}
          virtual={j.items.length > 200}
          scroll={j.items.length > 200 ? { y: 480, x: 900 } : { x: 900 }}
          pagination={false}
          columns={[
            { title: "#", dataIndex: "idx", width: 70, render: (i: number) => i + 1 },
            { title: t("job.recipient"), dataIndex: "recipient", width: 380, render: (a: string) => <span className="mono">{a}</span> },
            { title: t("common.status"), dataIndex: "state", width: 110, render: (s: Item["state"]) => <StatusTag tone={ITEM_TONE[s]}>{tx(`job.item.${s}`, s)}</StatusTag> },
            { title: t("common.token"), dataIndex: "tokenId", width: 200, render: (id: string | null) => (id ? <Link to={`/explorer/tokens/${id}`}>{id}</Link> : "—") },
            { title: t("common.transaction"), dataIndex: "txHash", width: 180, render: (h: string | null) => <Hash value={h} /> },
            { title: t("job.reason"), dataIndex: "reason", render: (r: string | null) => r ?? "" },
          ]}
        />
      )}
    </Page>
  );
}
