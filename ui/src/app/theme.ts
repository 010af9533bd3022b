import type { ThemeConfig } from "antd";

/**
 * Ant Design's default blue (#1677ff) with white text, and its 45 % grey for descriptions, fail WCAG AA
 * contrast (axe-core: serious): a darker primary and darker secondary greys.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: "#0b4fb3",
    colorLink: "#0b4fb3",
    colorSuccess: "#237804",
    colorSuccessBg: "#f6ffed",
    colorSuccessBorder: "#b7eb8f",
    colorError: "#c4141a",
    colorErrorBg: "#fff2f0",
    colorErrorBorder: "#ffccc7",
    colorWarning: "#ad6800",
    colorWarningBg: "#fffbe6",
    colorWarningBorder: "#ffe58f",
    colorInfo: "#0b4fb3",
    colorInfoBg: "#e6f4ff",
    colorInfoBorder: "#91caff",
    colorTextDescription: "rgba(0, 0, 0, 0.66)",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.5)",
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
  },
};
