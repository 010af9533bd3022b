/**
 * The registry's domain vocabulary, each term once, with its on-chain value where it has one and its
 * labels in Chinese and English: identity levels and statuses, rights bits, transfer modes, API roles,
 * and the actions of the regulator's sandbox log. The server, the scripts and the console all read these.
 *
 * Browser-safe: imports nothing.
 */

export type Lang = "zh" | "en";
export interface Label {
  zh: string;
  en: string;
}

export const ZERO_HASH = `0x${"0".repeat(64)}` as const;

/** The actor of sandbox-log entries written for callers without a valid key. They never trigger an anchor. */
export const ANONYMOUS_ACTOR = "anonymous";
/** The actor of entries the gateway writes for its own work (anchors). */
export const SYSTEM_ACTOR = "system";
export const ZERO_ADDRESS = `0x${"0".repeat(40)}` as const;

// ─── Identity ─────────────────────────────────────────────────────────────────────────────

/** Identity levels (IdentityRegistry), as in ChainMaker's CMID. */
export const LEVELS = [
  { value: 0, key: "none", zh: "未认证", en: "none" },
  { value: 1, key: "phone", zh: "手机号认证个人", en: "phone-registered individual" },
  { value: 2, key: "realNameIndividual", zh: "实名认证个人", en: "real-name individual" },
  { value: 3, key: "realNameEnterprise", zh: "实名认证企业", en: "real-name enterprise" },
  { value: 4, key: "licensedIssuer", zh: "持牌发行方", en: "licensed issuer" },
] as const;
export type Level = (typeof LEVELS)[number]["value"];
export const MAX_LEVEL = 4;
export const LICENSED_ISSUER_LEVEL = 4;

/** Identity status (IdentityRegistry.IdentityStatus), by on-chain enum value. */
export const IDENTITY_STATUSES = [
  { value: 0, key: "None", zh: "不存在", en: "none" },
  { value: 1, key: "Active", zh: "有效", en: "active" },
  { value: 2, key: "Suspended", zh: "已暂停", en: "suspended" },
  { value: 3, key: "Revoked", zh: "已撤销", en: "revoked" },
] as const;
export type IdentityStatusName = (typeof IDENTITY_STATUSES)[number]["key"];
export const STATUS = { None: 0, Active: 1, Suspended: 2, Revoked: 3 } as const satisfies Record<IdentityStatusName, number>;
export const STATUS_NAMES = IDENTITY_STATUSES.map((s) => s.key) as unknown as readonly IdentityStatusName[];

// ─── Collections ──────────────────────────────────────────────────────────────────────────

/** Rights granted to holders: the on-chain bitmask (CollectibleRights `rights`). */
export const RIGHTS = [
  { key: "display", bit: 1, zh: "展示", en: "display" },
  { key: "personalUse", bit: 2, zh: "个人使用", en: "personal use" },
  { key: "commercialUse", bit: 4, zh: "商业使用", en: "commercial use" },
  { key: "derivatives", bit: 8, zh: "衍生创作", en: "derivatives" },
] as const;
export type RightName = (typeof RIGHTS)[number]["key"];
export const RIGHT_NAMES = RIGHTS.map((r) => r.key) as unknown as readonly [RightName, ...RightName[]];
export const RIGHT_BITS = Object.fromEntries(RIGHTS.map((r) => [r.key, r.bit])) as Record<RightName, number>;
export const ALL_RIGHTS_MASK = RIGHTS.reduce((m, r) => m | r.bit, 0);

/** The on-chain bitmask of a list of rights. */
export const rightsMask = (rights: readonly RightName[]): number => rights.reduce((m, r) => m | RIGHT_BITS[r], 0);

/** The rights in a bitmask (its inverse). Unknown bits are ignored. */
export const rightsOf = (mask: number | bigint): RightName[] => RIGHTS.filter((r) => (Number(mask) & r.bit) !== 0).map((r) => r.key);

/** Transfer modes (CollectibleRights.TransferMode), by on-chain enum value. */
export const TRANSFER_MODES_INFO = [
  { value: 0, key: "Locked", zh: "锁定（不可转赠）", en: "locked (never moves)" },
  { value: 1, key: "GiftToVerified", zh: "仅可转赠给实名用户", en: "gift to verified identities" },
] as const;
export type TransferModeName = (typeof TRANSFER_MODES_INFO)[number]["key"];
export const TRANSFER_MODES = TRANSFER_MODES_INFO.map((m) => m.key) as unknown as readonly [TransferModeName, ...TransferModeName[]];
export const modeValue = (mode: TransferModeName): number => TRANSFER_MODES_INFO.find((m) => m.key === mode)!.value;
export const modeName = (value: number | bigint): TransferModeName | undefined =>
  TRANSFER_MODES_INFO.find((m) => m.value === Number(value))?.key;
/** Bitmask of allowed modes (bit = 1 << mode value), as in the contract's policy floors. */
export const modesMask = (modes: readonly TransferModeName[]): number => modes.reduce((m, k) => m | (1 << modeValue(k)), 0);

// ─── API ──────────────────────────────────────────────────────────────────────────────────

/** The roles of API keys. */
export const API_ROLES_INFO = [
  { key: "issuer", zh: "发行方", en: "issuer" },
  { key: "attestor", zh: "认证机构", en: "attestor" },
  { key: "auditor", zh: "审计", en: "auditor" },
  { key: "regulator", zh: "监管", en: "regulator" },
  { key: "admin", zh: "管理员", en: "administrator" },
] as const;
export type ApiRole = (typeof API_ROLES_INFO)[number]["key"];
export const API_ROLES = API_ROLES_INFO.map((r) => r.key) as unknown as readonly [ApiRole, ...ApiRole[]];
/** Roles whose keys act with the regulator's or the attestor's powers: creating them needs a second admin. */
export const PRIVILEGED_ROLES: readonly ApiRole[] = ["regulator", "attestor", "admin"];

// ─── Compliance ───────────────────────────────────────────────────────────────────────────

/** The compliance rules (server/compliance/rules/<id>.ts), in the order results are reported. */
export const RULES = [
  { key: "issuer-admission", zh: "发行方准入", en: "Issuer admission" },
  { key: "recipient-admission", zh: "接收方准入", en: "Recipient admission" },
  { key: "content-review", zh: "内容审核", en: "Content review" },
  { key: "privacy", zh: "个人信息保护", en: "Personal data" },
  { key: "rights", zh: "确权", en: "Rights" },
  { key: "anti-financialization", zh: "防金融化", en: "Anti-financialisation" },
  { key: "sandbox-quotas", zh: "沙盒额度", en: "Sandbox quotas" },
] as const satisfies ReadonlyArray<Label & { key: string }>;
export type RuleId = (typeof RULES)[number]["key"];
export const RULE_IDS = RULES.map((r) => r.key) as unknown as readonly [RuleId, ...RuleId[]];

/** The kinds of personal data the privacy rule finds in public metadata. */
export const PERSONAL_DATA_KINDS = [
  { key: "email", zh: "电子邮箱", en: "e-mail address" },
  { key: "resident-id", zh: "居民身份证号", en: "resident id number" },
  { key: "bank-card", zh: "银行卡号", en: "bank card number" },
  { key: "mobile", zh: "手机号码", en: "mobile number" },
] as const satisfies ReadonlyArray<Label & { key: string }>;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number]["key"];

// ─── The sandbox log ──────────────────────────────────────────────────────────────────────

/**
 * Every action the sandbox log records, with its label. Chain writes are `chain.<contract>.<method>`:
 * see {@link chainAction}.
 */
export const LOG_ACTIONS = {
  "auth.failure": { zh: "认证失败", en: "authentication failure" },
  "auth.forbidden": { zh: "越权访问", en: "forbidden access" },
  "key.created": { zh: "创建 API 密钥", en: "API key created" },
  "key.revoked": { zh: "吊销 API 密钥", en: "API key revoked" },
  "key.refused": { zh: "拒绝创建 API 密钥", en: "API key refused" },
  "compliance.rule": { zh: "合规规则", en: "compliance rule" },
  "compliance.decision": { zh: "合规决定", en: "compliance decision" },
  "compliance.unavailable": { zh: "合规检查无法进行", en: "compliance could not run" },
  "collection.created": { zh: "创建藏品系列", en: "collection created" },
  "collection.metadata": { zh: "更新藏品元数据", en: "collection metadata changed" },
  "quota.reserved": { zh: "预留发行配额", en: "quota reserved" },
  "quota.released": { zh: "释放发行配额", en: "quota released" },
  "mint.accepted": { zh: "受理铸造任务", en: "mint job accepted" },
  "request.refused": { zh: "拒绝请求", en: "request refused" },
  "sandbox.anchor": { zh: "日志上链锚定", en: "log anchored" },
  "chain.write": { zh: "链上写入", en: "chain write" },
} as const satisfies Record<string, Label>;
export type LogAction = keyof typeof LOG_ACTIONS | `chain.${ChainContractName}.${string}`;

export type ChainContractName = "identity" | "rights" | "evidence";

/** The log action of a chain write. */
export const chainAction = (contract: ChainContractName, method: string): LogAction => `chain.${contract}.${method}`;

/** Outcomes (the `decision` column) of log entries. */
export const LOG_DECISIONS = {
  passed: { zh: "通过", en: "passed" },
  failed: { zh: "未通过", en: "failed" },
  denied: { zh: "拒绝", en: "denied" },
  refused: { zh: "被拒绝", en: "refused" },
  pending: { zh: "待确认", en: "pending" },
  sent: { zh: "已上链", en: "confirmed" },
  unknown: { zh: "结果未知", en: "outcome unknown" },
  unavailable: { zh: "依赖不可用", en: "dependency unavailable" },
  queued: { zh: "已排队", en: "queued" },
  created: { zh: "已创建", en: "created" },
  done: { zh: "已完成", en: "done" },
  anchored: { zh: "已锚定", en: "anchored" },
  reserved: { zh: "已预留", en: "reserved" },
  released: { zh: "已释放", en: "released" },
} as const satisfies Record<string, Label>;
export type LogDecision = keyof typeof LOG_DECISIONS;

/** The label of a log action, in `lang` (chain writes: "chain write: rights.freezeToken"). */
export function actionLabel(action: string, lang: Lang): string {
  const known = (LOG_ACTIONS as Record<string, Label>)[action];
  if (known) return known[lang];
  if (action.startsWith("chain.")) return `${LOG_ACTIONS["chain.write"][lang]}: ${action.slice("chain.".length)}`;
  return action;
}

// ─── Labels ───────────────────────────────────────────────────────────────────────────────

export const levelLabel = (level: number | bigint, lang: Lang): string =>
  LEVELS.find((l) => l.value === Number(level))?.[lang] ?? String(level);
export const statusLabel = (status: number | bigint | string, lang: Lang): string =>
  IDENTITY_STATUSES.find((s) => s.value === Number(status) || s.key === status)?.[lang] ?? String(status);
export const roleLabel = (role: string, lang: Lang): string => API_ROLES_INFO.find((r) => r.key === role)?.[lang] ?? role;
export const modeLabel = (mode: number | bigint | string, lang: Lang): string =>
  TRANSFER_MODES_INFO.find((m) => m.key === mode || m.value === Number(mode))?.[lang] ?? String(mode);
export const rightLabel = (right: string, lang: Lang): string => RIGHTS.find((r) => r.key === right)?.[lang] ?? right;
export const ruleLabel = (rule: string, lang: Lang): string => RULES.find((r) => r.key === rule)?.[lang] ?? rule;
export const personalDataLabel = (kind: string, lang: Lang): string => PERSONAL_DATA_KINDS.find((k) => k.key === kind)?.[lang] ?? kind;
