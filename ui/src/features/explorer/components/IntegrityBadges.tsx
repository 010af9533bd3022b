/**
 * Integrity badges: one per check (metadata CID, media hash, compliance reference, holders verified…)
 * with three verdicts — passed, failed, unverifiable now (a source is down: never reported as failed).
 */
import CheckCircleFilled from "@ant-design/icons/es/icons/CheckCircleFilled";
import CloseCircleFilled from "@ant-design/icons/es/icons/CloseCircleFilled";
import QuestionCircleFilled from "@ant-design/icons/es/icons/QuestionCircleFilled";
import Tooltip from "antd/es/tooltip";
import type { CheckResult, Verdict } from "../../../../../shared/api/tokens";
import { StatusTag, type Tone } from "../../../components/StatusTag";
import { useI18n } from "../../../lib/i18n";

const TONE: Record<Verdict, Tone> = { passed: "success", failed: "error", unverifiable: "warning" };

export function VerdictTag({ verdict, testId }: { verdict: Verdict; testId?: string }) {
  const { tx } = useI18n();
  const icon = verdict === "passed" ? <CheckCircleFilled aria-hidden /> : verdict === "failed" ? <CloseCircleFilled aria-hidden /> : <QuestionCircleFilled aria-hidden />;
  return (
    <StatusTag tone={TONE[verdict]} icon={icon} testId={testId}>
      {tx(`verdicts.${verdict}`, verdict)}
    </StatusTag>
  );
}

export function IntegrityBadges({ checks, withReasons }: { checks: CheckResult[]; withReasons?: boolean }) {
  const { tx } = useI18n();
  return (
    <ul style={{ listStyle: "none", padding: 0, margin: 0, display: "flex", flexDirection: withReasons ? "column" : "row", flexWrap: "wrap", gap: 8 }} data-testid="integrity">
      {checks.map((c) => (
        <li key={c.check} data-testid={`badge-${c.check}`} data-verdict={c.verdict}>
          {withReasons ? (
            <>
              <strong style={{ marginInlineEnd: 8 }}>{tx(`checks.${c.check}`, c.check)}</strong>
              <VerdictTag verdict={c.verdict} />
              <span>{c.reason}</span>
            </>
          ) : (
            <Tooltip title={c.reason}>
              <span tabIndex={0} aria-label={`${tx(`checks.${c.check}`, c.check)}: ${tx(`verdicts.${c.verdict}`, c.verdict)} — ${c.reason}`}>
                <StatusTag tone={TONE[c.verdict]}>
                  {c.verdict === "passed" ? <CheckCircleFilled aria-hidden /> : c.verdict === "failed" ? <CloseCircleFilled aria-hidden /> : <QuestionCircleFilled aria-hidden />}{" "}
                  {tx(`checks.${c.check}`, c.check)} · {tx(`verdicts.${c.verdict}`, c.verdict)}
                </StatusTag>
              </span>
            </Tooltip>
          )}
        </li>
      ))}
    </ul>
  );
}
