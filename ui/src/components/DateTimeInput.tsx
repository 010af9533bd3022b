import Input from "antd/es/input";

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO time as the value of a datetime-local input (local time, minutes). */
export function toLocalInput(iso: string | undefined | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an ISO time with offset (UTC), or undefined when empty. */
export function fromLocalInput(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * A date and time picker: antd's Input on the browser's own datetime-local control, its value an ISO
 * time. (antd's DatePicker and dayjs cost 34 KB gzipped on each page that shows one.)
 */
export function DateTimeInput({ id, value, onChange, style, "aria-label": ariaLabel }: { id?: string; value?: string; onChange?: (iso: string | undefined) => void; style?: React.CSSProperties; "aria-label"?: string }) {
  return <Input id={id} type="datetime-local" value={toLocalInput(value)} onChange={(e) => onChange?.(fromLocalInput(e.target.value))} style={style} aria-label={ariaLabel} />;
}

/** Now plus some days, as ISO. */
export const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
