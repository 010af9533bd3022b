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
    colorError: "#c4141a",
    colorWarning: "#ad6800",
    colorInfo: "#0b4fb3",
    colorTextDescription: "rgba(0, 0, 0, 0.66)",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.5)",
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
  },
};
