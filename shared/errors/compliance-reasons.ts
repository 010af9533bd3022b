/**
 * Why a compliance rule passed or failed, as stable codes with parameters: each rule's every finding is
 * listed here once, with its template in English and Chinese. A result carries its findings as
 * `reasons: [{ code, params }]`; its English `reason` (for logs and older clients) is these templates
 * joined, and the console renders the same codes in the language the user chose.
 *
 * Templates name their parameters as the error catalogue's do (`{field}`, `{level:level}`); the English
 * template declares the parameters (the type {@link ReasonParams} is read from it), and the Chinese one
 * must use the same (a test checks it).
 *
 * Browser-safe: imports nothing.
 */

const reason = <En extends string>(en: En, zh: string) => ({ en, zh });

export const COMPLIANCE_REASONS = {
  // ─── 用户准入 issuer-admission ───────────────────────────────────────────────────────────
  ISSUER_ADMITTED: reason(
    "issuer admitted: licensed issuer, active, licence evidence on record",
    "发行方准入通过：持牌发行方，身份有效，营业执照存证在案",
  ),
  ISSUER_INVALID_WALLET: reason("the issuer wallet is not an address", "发行方钱包不是有效地址"),
  ISSUER_NO_IDENTITY: reason("no identity is linked to the issuer wallet", "发行方钱包未关联任何身份"),
  ISSUER_SUSPENDED: reason("the issuer's identity is suspended", "发行方身份已被暂停"),
  ISSUER_REVOKED: reason("the issuer's identity is revoked", "发行方身份已被撤销"),
  ISSUER_NOT_ACTIVE: reason("the issuer's identity is not active (status {status:status})", "发行方身份未生效（状态：{status:status}）"),
  ISSUER_LEVEL_TOO_LOW: reason(
    "the issuer's identity is level {level:level}; a licensed issuer (level {required:level}) is required",
    "发行方身份为 {level:level}，须为持牌发行方（{required:level}）",
  ),
  ISSUER_EXPIRED: reason("the issuer's identity expired at {expiresAt}", "发行方身份已于 {expiresAt} 过期"),
  ISSUER_EXPIRED_BY_BLOCK_TIME: reason(
    "the issuer's identity is not verified on chain: it expired at {expiresAt} by block time",
    "发行方身份未通过链上验证：按区块时间已于 {expiresAt} 过期",
  ),
  ISSUER_NO_LICENCE_EVIDENCE: reason("the issuer's identity carries no business-licence evidence hash", "发行方身份未附营业执照存证哈希"),
  ISSUER_LICENCE_EVIDENCE_NOT_RECORDED: reason(
    "the business-licence evidence {evidenceHash} is not recorded in the EvidenceRegistry",
    "营业执照存证 {evidenceHash} 未登记在存证合约（EvidenceRegistry）中",
  ),
  ISSUER_ROLE_MISSING: reason(
    "the issuer wallet lacks ISSUER_ROLE on CollectibleRights",
    "发行方钱包在 CollectibleRights 合约上没有发行方角色（ISSUER_ROLE）",
  ),

  // ─── 接收方准入 recipient-admission ─────────────────────────────────────────────────────
  RECIPIENTS_VERIFIED: reason("all {count} recipient(s) verified at level {level:level}", "全部 {count} 个接收方均已通过{level:level}认证"),
  RECIPIENTS_MIN_LEVEL_INVALID: reason("the collection's minimum level is missing or invalid", "藏品系列的最低认证等级缺失或无效"),
  RECIPIENTS_NONE: reason("no recipients", "没有接收方"),
  RECIPIENTS_NOT_VERIFIED: reason(
    "{failed} of {total} recipient(s) not verified at level {level:level}",
    "{total} 个接收方中有 {failed} 个未通过{level:level}认证",
  ),
  RECIPIENT_INVALID_ADDRESS: reason("{address}: invalid address", "{address}：地址无效"),
  RECIPIENT_NO_IDENTITY: reason("{address}: no identity", "{address}：没有身份"),
  RECIPIENT_REVOKED: reason("{address}: identity revoked", "{address}：身份已撤销"),
  RECIPIENT_SUSPENDED: reason("{address}: identity suspended", "{address}：身份已暂停"),
  RECIPIENT_EXPIRED: reason("{address}: identity expired", "{address}：身份已过期"),
  RECIPIENT_LEVEL_TOO_LOW: reason("{address}: level {level:level}, below {required:level}", "{address}：认证等级为 {level:level}，低于 {required:level}"),
  RECIPIENT_NOT_VERIFIED: reason("{address}: not verified", "{address}：未通过认证"),
  RECIPIENTS_MORE: reason("and {count} more", "另有 {count} 个"),

  // ─── 内容监管 content-review ─────────────────────────────────────────────────────────────
  CONTENT_ALLOWED: reason("no banned terms; media type and size allowed", "无违禁词；媒体类型和大小符合要求"),
  METADATA_CONTENT_ALLOWED: reason("no banned terms in the new metadata", "新元数据中无违禁词"),
  BANNED_TERM: reason('banned term "{term}" in {field}', "{field} 含违禁词“{term}”"),
  MEDIA_MISSING: reason("the media file is missing", "缺少媒体文件"),
  MEDIA_EMPTY: reason("the media file is empty", "媒体文件为空"),
  MEDIA_TYPE_UNKNOWN: reason(
    "the media file is not of a recognised type (checked by content, not by name)",
    "无法识别媒体文件的类型（按文件内容判断，而非文件名）",
  ),
  MEDIA_TYPE_NOT_ALLOWED: reason("media type {type} is not allowed", "不允许的媒体类型 {type}"),
  MEDIA_TOO_LARGE: reason("the media file is {size} bytes, above the limit of {limit}", "媒体文件 {size} 字节，超过上限 {limit} 字节"),

  // ─── 数据分级 privacy ────────────────────────────────────────────────────────────────────
  NO_PERSONAL_DATA: reason("no personal data in the public metadata", "公开元数据中没有个人信息"),
  PERSONAL_DATA: reason("personal data in the public metadata: {kind:pii} in {field}", "公开元数据的 {field} 含个人信息（{kind:pii}）"),

  // ─── 确权 rights ─────────────────────────────────────────────────────────────────────────
  RIGHTS_CLEAR: reason(
    "independent copyright evidence on record; the work is not registered yet",
    "独立的版权存证在案；该作品尚未登记",
  ),
  EVIDENCE_MISSING: reason("the copyright evidence file is missing", "缺少版权证明文件"),
  EVIDENCE_EMPTY: reason("the copyright evidence file is empty", "版权证明文件为空"),
  EVIDENCE_TOO_LARGE: reason(
    "the copyright evidence file is {size} bytes, above the limit of {limit}",
    "版权证明文件 {size} 字节，超过上限 {limit} 字节",
  ),
  EVIDENCE_NOT_RECORDED: reason(
    "the copyright evidence {hash} is not recorded in the EvidenceRegistry",
    "版权证明 {hash} 未登记在存证合约（EvidenceRegistry）中",
  ),
  EVIDENCE_BY_ISSUER: reason(
    "the copyright evidence {hash} was recorded by the issuer itself; it must be recorded by an attestor or another independent party",
    "版权证明 {hash} 由发行方自行存证；须由核验方或其他独立方存证",
  ),
  EVIDENCE_OVERUSED: reason(
    "the copyright evidence {hash} already backs {uses} work(s); the policy allows {max}",
    "版权证明 {hash} 已用于 {uses} 件作品；策略允许 {max} 件",
  ),
  CONTENT_HASH_UNCHECKED: reason("no media file: its content hash cannot be checked", "没有媒体文件，无法核对其内容哈希"),
  WORK_REGISTERED: reason(
    "the work {contentHash} is already registered by collection {collectionId}",
    "作品 {contentHash} 已由藏品系列 {collectionId} 登记",
  ),

  // ─── 防金融化 anti-financialization ─────────────────────────────────────────────────────
  FINANCIALIZATION_CLEAR: reason("edition cap, transfer policy and metadata comply", "发行数量、流转规则和元数据均符合要求"),
  EDITION_CAP: reason("editionSize {editionSize} is above the cap of {max}", "发行数量 {editionSize} 超过上限 {max}"),
  TRANSFER_MODE_NOT_ALLOWED: reason(
    "transfer mode {mode} is not allowed (allowed: {allowed})",
    "不允许流转方式 {mode:mode}（允许：{allowed:modes}）",
  ),
  HOLDING_PERIOD_TOO_SHORT: reason(
    "holding period {days} days is below the minimum of {min}",
    "持有期 {days} 天，低于最短 {min} 天",
  ),
  HOLDER_LEVEL_TOO_LOW: reason("holder level {level} is below the minimum of {min}", "持有者认证等级 {level} 低于最低要求 {min:level}"),
  PRICE_KEY: reason('request key {field} is price/currency data ("{term}")', "请求字段 {field} 属于价格或货币数据（“{term}”）"),
  PRICE_ATTRIBUTE: reason('attribute {field} is price/currency data ("{term}")', "属性 {field} 属于价格或货币数据（“{term}”）"),
  CURRENCY: reason('{field} holds an amount of money ("{match}")', "{field} 含金额（“{match}”）"),

  // ─── 监管沙盒 sandbox-quotas ─────────────────────────────────────────────────────────────
  WITHIN_QUOTAS: reason("within the issuer's daily and total issuance quotas", "未超出发行方的每日和累计发行配额"),
  DAILY_COLLECTIONS_QUOTA_EXCEEDED: reason(
    "daily collections quota exceeded: {used} used + {requested} requested > {limit}",
    "超出每日藏品系列配额：已用 {used} + 本次 {requested} > 上限 {limit}",
  ),
  DAILY_EDITIONS_QUOTA_EXCEEDED: reason(
    "daily editions quota exceeded: {used} used + {requested} requested > {limit}",
    "超出每日发行份数配额：已用 {used} + 本次 {requested} > 上限 {limit}",
  ),
  TOTAL_COLLECTIONS_QUOTA_EXCEEDED: reason(
    "total collections quota exceeded: {used} used + {requested} requested > {limit}",
    "超出累计藏品系列配额：已用 {used} + 本次 {requested} > 上限 {limit}",
  ),
  TOTAL_EDITIONS_QUOTA_EXCEEDED: reason(
    "total editions quota exceeded: {used} used + {requested} requested > {limit}",
    "超出累计发行份数配额：已用 {used} + 本次 {requested} > 上限 {limit}",
  ),

  // ─── The engine, when a rule itself fails ────────────────────────────────────────────────
  RULE_ERROR: reason("rule error: {message}", "规则执行出错：{message}"),
  RULE_MALFORMED_RESULT: reason("rule error: the rule returned a malformed result", "规则执行出错：规则返回的结果格式错误"),
  RULE_DETAILS_NOT_JSON: reason("rule error: details are not plain JSON ({message})", "规则执行出错：详情不是纯 JSON（{message}）"),
} as const;

export type ComplianceReasonCode = keyof typeof COMPLIANCE_REASONS;

/** The parameter names of a template: `"{a} and {b:level}"` → `"a" | "b"`. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `${infer Name}:${string}` ? Name : P) | Placeholders<Rest>
  : never;

/** The parameters `code`'s template needs. */
export type ReasonParams<C extends ComplianceReasonCode> = { [K in Placeholders<(typeof COMPLIANCE_REASONS)[C]["en"]>]: unknown };

/** One finding of a rule, checked at compile time: the code's template gets every parameter it names. */
export type ComplianceReason = {
  [C in ComplianceReasonCode]: { code: C; params: ReasonParams<C> };
}[ComplianceReasonCode];

export const isComplianceReasonCode = (code: unknown): code is ComplianceReasonCode =>
  typeof code === "string" && Object.hasOwn(COMPLIANCE_REASONS, code);
