import Typography from "antd/es/typography";
import { shortHex } from "../lib/format";

/** A hash, address or CID: shortened, monospace, with its whole value to copy and as a tooltip. */
export function Hash({ value, full, testId }: { value: string | null | undefined; full?: boolean; testId?: string }) {
  if (!value) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Typography.Text className="mono" copyable={{ text: value }} title={value} data-testid={testId}>
      {full ? value : shortHex(value)}
    </Typography.Text>
  );
}
