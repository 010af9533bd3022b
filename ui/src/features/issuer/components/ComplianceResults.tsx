/**
 * Every compliance rule of a decision, passed or failed, with its reasons in the chosen language (codes
 * rendered through shared/errors) and what it found: banned terms by field, personal data by field with
 * its masked excerpt (never the whole value), recipients refused.
 */
import CheckCircleFilled from "@ant-design/icons/es/icons/CheckCircleFilled";
import CloseCircleFilled from "@ant-design/icons/es/icons/CloseCircleFilled";
import Alert from "antd/es/alert";
import List from "antd/es/list";
import Typography from "antd/es/typography";
import type { ComplianceDecision, ComplianceResult } from "../../../../../shared/api/compliance";
import { personalDataLabel, ruleLabel, type Lang } from "../../../../../shared/domain";
import { formatReason, formatReasons } from "../../../../../shared/errors";
import { Hash } from "../../../components/Hash";
import { StatusTag } from "../../../components/StatusTag";
import { useI18n } from "../../../lib/i18n";

interface Finding {
  field?: string;
  kind?: string;
  excerpt?: string;
  term?: string;
  address?: string;
  reason?: string;
}
const asArray = (v: unknown): Finding[] => (Array.isArray(v) ? (v as Finding[]) : []);

/** The result's reasons in `lang`; its English `reason` when a code is not in this console's catalogue. */
function reasonText(r: ComplianceResult, lang: Lang): string {
  const reasons = r.reasons ?? [];
  if (reasons.length === 0 || reasons.some((x) => formatReason(x, lang) === undefined)) return r.reason;
  return formatReasons(reasons, lang);
}

function Findings({ result }: { result: ComplianceResult }) {
  const { t, tx, lang } = useI18n();
  const d = (result.details ?? {}) as Record<string, unknown>;
  const field = (f?: string) => (f ? tx(`fields.${f.replace(/\[\d+\]/g, "[]")}`, f) : "—");
  const lines: string[] = [];
  for (const m of asArray(d.matches)) lines.push(t("compliance.bannedTerm", { term: m.term, field: field(m.field) }));
  for (const f of asArray(d.findings)) lines.push(t("compliance.personalData", { kind: personalDataLabel(f.kind ?? "", lang), field: field(f.field), excerpt: f.excerpt }));
  for (const f of asArray(d.failures)) {
    if (f.address) lines.push(t("compliance.recipientFailure", { address: f.address, reason: tx(`recipientReasons.${f.reason}`, f.reason ?? "") }));
  }
  if (lines.length === 0) return null;
  return (
    <ul style={{ margin: "4px 0 0", paddingInlineStart: 20 }} data-testid={`findings-${result.rule}`}>
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

export function ComplianceResults({ decision }: { decision: ComplianceDecision }) {
  const { t, lang } = useI18n();
  const failed = decision.results.filter((r) => !r.passed).length;
  return (
    <section aria-labelledby="compliance-title" data-testid="compliance-results">
      <Alert
        type={decision.passed ? "success" : "error"}
        showIcon
        title={<span id="compliance-title">{decision.passed ? t("compliance.passed") : t("compliance.failed", { count: failed })}</span>}
        description={
          <Typography.Text type="secondary">
            {t("compliance.policy", { version: decision.policyVersion })} · {t("compliance.decisionRef")} <Hash value={decision.decisionRef} />
          </Typography.Text>
        }
        style={{ marginBottom: 12 }}
      />
      <List
        bordered
        dataSource={decision.results}
        renderItem={(r) => (
          <List.Item data-testid={`rule-${r.rule}`} data-passed={r.passed}>
            <div style={{ display: "flex", gap: 12, alignItems: "flex-start", width: "100%" }}>
              {r.passed ? (
                <CheckCircleFilled style={{ color: "#237804", fontSize: 18, marginTop: 3 }} aria-hidden />
              ) : (
                <CloseCircleFilled style={{ color: "#c4141a", fontSize: 18, marginTop: 3 }} aria-hidden />
              )}
              <div style={{ flex: 1 }}>
                <Typography.Text strong>{ruleLabel(r.rule, lang)}</Typography.Text>{" "}
                <StatusTag tone={r.passed ? "success" : "error"}>{r.passed ? t("compliance.rulePassed") : t("compliance.ruleFailed")}</StatusTag>
                <div>
                  <Typography.Text type={r.passed ? "secondary" : undefined}>{reasonText(r, lang)}</Typography.Text>
                </div>
                <Findings result={r} />
              </div>
            </div>
          </List.Item>
        )}
      />
    </section>
  );
}
