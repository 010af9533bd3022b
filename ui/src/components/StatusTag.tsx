import type { ReactNode } from "react";

/** Tones with text dark enough on their tint for WCAG AA (antd's preset tag colours are not). */
const TONES = {
  success: { color: "#135200", background: "#f6ffed", border: "#95de64" },
  error: { color: "#820014", background: "#fff1f0", border: "#ff8a8f" },
  warning: { color: "#5c3200", background: "#fffbe6", border: "#ffd666" },
  info: { color: "#002c8c", background: "#e6f4ff", border: "#91caff" },
  neutral: { color: "#262626", background: "#f5f5f5", border: "#d9d9d9" },
} as const;
export type Tone = keyof typeof TONES;

export function StatusTag({ tone, children, icon, testId }: { tone: Tone; children: ReactNode; icon?: ReactNode; testId?: string }) {
  const c = TONES[tone];
  return (
    <span
      data-testid={testId}
      data-tone={tone}
      style={{
        display: "inline-flex",
        alignItems: "center",
        gap: 4,
        padding: "0 7px",
        lineHeight: "20px",
        fontSize: 12,
        borderRadius: 4,
        border: `1px solid ${c.border}`,
        color: c.color,
        background: c.background,
        whiteSpace: "nowrap",
        marginInlineEnd: 8,
      }}
    >
      {icon}
      {children}
    </span>
  );
}
