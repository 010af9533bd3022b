/**
 * The one error catalogue of the gateway's API. Every code the gateway answers with is listed here once,
 * with its HTTP status and its message template in Chinese and English. The server raises errors by code
 * (by meaning); the HTTP status is looked up here only at the edge; the console shows the same texts.
 *
 * Templates name their parameters: `{field}` is replaced by `params.field`. A parameter that is missing
 * renders as "…", never as "undefined".
 *
 * Browser-safe: imports nothing.
 */

export interface ErrorSpec {
  status: number;
  en: string;
  zh: string;
}

const spec = (status: number, en: string, zh: string): ErrorSpec => ({ status, en, zh });

export const GATEWAY_ERRORS = {
  // ─── Request shape (400, 413, 415) ──────────────────────────────────────────────────────
  VALIDATION_FAILED: spec(400, "The request {where} does not match the schema: {summary}", "请求的{where}不符合格式要求：{summary}"),
  MALFORMED_JSON: spec(400, "The {where} is not valid JSON.", "{where}不是有效的 JSON。"),
  BAD_MULTIPART: spec(400, "The multipart body is malformed: {reason}", "multipart 请求体格式错误：{reason}"),
  MISSING_FILE: spec(400, "The multipart field '{field}' (a file) is required.", "缺少 multipart 文件字段“{field}”。"),
  MISSING_FIELD: spec(400, "The multipart field '{field}' is required.", "缺少 multipart 字段“{field}”。"),
  BAD_REQUEST: spec(400, "Bad request.", "请求无效。"),
  BAD_CURSOR: spec(400, "The cursor is not valid: use the nextCursor of the previous page.", "分页游标无效：请使用上一页返回的 nextCursor。"),
  INDEX_NOT_READY: spec(503, "The event index has not caught up with the chain yet (indexed block {indexedBlock}, head {head}).", "事件索引尚未跟上区块链（已索引至区块 {indexedBlock}，最新区块 {head}）。"),
  BAD_LIMIT: spec(400, "limit must be an integer from 1 to {max}.", "limit 必须是 1 到 {max} 之间的整数。"),
  BAD_FORMAT: spec(400, "format must be one of: {allowed}.", "format 只能是：{allowed}。"),
  INVALID_CID: spec(400, "The CID is not valid.", "CID 无效。"),
  INVALID_DID: spec(400, "The DID '{did}' is not a DID of this registry.", "DID“{did}”不是本登记系统的 DID。"),
  NOT_A_FILE: spec(400, "The CID {cid} does not name a file.", "CID {cid} 不是文件。"),
  EVIDENCE_REQUIRED: spec(400, "Send exactly one of the 'kycEvidence' file or 'kycEvidenceHash'.", "请提供且仅提供“kycEvidence”文件或“kycEvidenceHash”之一。"),
  IDEMPOTENCY_KEY_REQUIRED: spec(400, "Send an Idempotency-Key header.", "请提供 Idempotency-Key 请求头。"),
  INVALID_IDEMPOTENCY_KEY: spec(400, "The Idempotency-Key must be 1–200 characters of A–Z a–z 0–9 . _ : -", "Idempotency-Key 须为 1–200 个字符，仅限 A–Z a–z 0–9 . _ : -"),
  TOO_MANY_RECIPIENTS: spec(400, "At most {max} recipients per request ({given} given).", "每次请求最多 {max} 个接收方（收到 {given} 个）。"),
  BODY_TOO_LARGE: spec(413, "The body is too large (limit {limit} bytes).", "请求体过大（上限 {limit} 字节）。"),
  FILE_TOO_LARGE: spec(413, "The {field} part is too large (limit {limit} bytes).", "{field} 文件过大（上限 {limit} 字节）。"),
  CONTENT_TOO_LARGE: spec(413, "The content is larger than {maxBytes} bytes.", "内容超过 {maxBytes} 字节。"),
  UNSUPPORTED_MEDIA_TYPE: spec(415, "Send {expected}.", "请以 {expected} 格式发送。"),
  UNSUPPORTED_ENCODING: spec(415, "The body encoding is not supported.", "不支持该请求体编码。"),

  // ─── Authentication and authorisation (401, 403) ────────────────────────────────────────
  AUTH_MISSING: spec(401, "Send an API key as 'Authorization: Bearer <key>'.", "请以“Authorization: Bearer <密钥>”提供 API 密钥。"),
  AUTH_MALFORMED: spec(401, "The Authorization header must be 'Bearer <key>'.", "Authorization 请求头格式应为“Bearer <密钥>”。"),
  AUTH_INVALID: spec(401, "The API key is not valid.", "API 密钥无效。"),
  AUTH_REVOKED: spec(401, "The API key was revoked.", "API 密钥已被吊销。"),
  ROLE_FORBIDDEN: spec(403, "This needs one of the roles: {required}.", "此操作需要以下角色之一：{required}。"),
  ISSUER_KEY_REQUIRED: spec(403, "This needs an issuer's API key bound to the issuer's wallet.", "此操作需要绑定发行方钱包的发行方 API 密钥。"),
  ISSUER_MISMATCH: spec(403, "Collection {collectionId} belongs to another issuer.", "藏品系列 {collectionId} 属于其他发行方。"),
  KEY_CONFIRMATION_REQUIRED: spec(403, "Creating a {role} key needs a second administrator's confirmation.", "创建{role}密钥需要第二位管理员确认。"),
  KEY_CONFIRMATION_INVALID: spec(403, "The confirmation is not valid: it must come from another administrator, for this request, before it expires.", "确认无效：须由另一位管理员针对本请求在有效期内作出。"),

  // ─── Not found (404) ────────────────────────────────────────────────────────────────────
  NOT_FOUND: spec(404, "No route {method} {path}.", "没有 {method} {path} 这个接口。"),
  COLLECTION_NOT_FOUND: spec(404, "Collection {collectionId} does not exist.", "藏品系列 {collectionId} 不存在。"),
  TOKEN_NOT_FOUND: spec(404, "Token {tokenId} was never minted.", "藏品 {tokenId} 从未铸造。"),
  JOB_NOT_FOUND: spec(404, "No job {jobId}.", "没有任务 {jobId}。"),
  OPERATION_NOT_FOUND: spec(404, "No operation {operationId}.", "没有操作 {operationId}。"),
  /** Raised by the typed client (never by the gateway) when it stops waiting: the outcome is not known yet. */
  OPERATION_PENDING: spec(504, "Operation {operationId} is still waiting for the chain; its outcome is not known yet. Check it again later.", "操作 {operationId} 仍在等待链上确认，结果尚未可知，请稍后再查询。"),
  KEY_NOT_FOUND: spec(404, "No active key {keyId}.", "没有有效的密钥 {keyId}。"),
  IDENTITY_NOT_FOUND: spec(404, "No identity {identityId}.", "身份 {identityId} 不存在。"),
  WALLET_NOT_LINKED: spec(404, "Wallet {wallet} is not linked to any identity.", "钱包 {wallet} 未关联任何身份。"),
  DID_NOT_FOUND: spec(404, "No identity for {did}.", "没有与 {did} 对应的身份。"),
  EVIDENCE_HASH_NOT_FOUND: spec(404, "No evidence has hash {hash}.", "没有哈希为 {hash} 的存证。"),
  CONTENT_NOT_FOUND: spec(404, "The content {cid} is not held by this gateway's IPFS node.", "本网关的 IPFS 节点中没有内容 {cid}。"),
  LOG_ENTRY_NOT_FOUND: spec(404, "No sandbox log entry {seq}.", "沙盒日志中没有第 {seq} 条记录。"),

  // ─── Conflicts (409) ────────────────────────────────────────────────────────────────────
  IDEMPOTENCY_CONFLICT: spec(409, "This Idempotency-Key was used with a different request.", "该 Idempotency-Key 已用于另一个不同的请求。"),
  IDEMPOTENCY_IN_PROGRESS: spec(409, "A request with this Idempotency-Key is still running: poll {statusUrl}.", "使用该 Idempotency-Key 的请求仍在处理中：请查询 {statusUrl}。"),
  EVIDENCE_HASH_RECORDED: spec(409, "This document is already recorded as evidence {evidenceId}.", "该文件已登记为存证 {evidenceId}。"),
  ANCHOR_CONFLICT: spec(409, "The anchor conflicts with what the chain recorded: {reason}", "锚定与链上记录冲突：{reason}"),

  // ─── Refused by a rule (422) ────────────────────────────────────────────────────────────
  COMPLIANCE_REJECTED: spec(422, "Rejected by {count} compliance check(s): {rules}.", "未通过 {count} 项合规检查：{rules}。"),
  CHAIN_REVERTED: spec(422, "The transaction was refused by the contract.", "交易被合约拒绝。"),

  // ─── Rate limits (429) ──────────────────────────────────────────────────────────────────
  RATE_LIMITED: spec(429, "Too many requests: retry after {retryAfter} s.", "请求过于频繁：请在 {retryAfter} 秒后重试。"),
  UPLOADS_BUSY: spec(429, "Too many uploads at once: retry after {retryAfter} s.", "同时上传的文件过多：请在 {retryAfter} 秒后重试。"),

  // ─── Dependencies (502, 503, 504) ───────────────────────────────────────────────────────
  CHAIN_UNAVAILABLE: spec(503, "The blockchain node cannot be reached.", "无法连接区块链节点。"),
  CHAIN_TIMEOUT: spec(503, "The blockchain node did not answer within {timeoutMs} ms.", "区块链节点在 {timeoutMs} 毫秒内未响应。"),
  CHAIN_MISMATCH: spec(503, "The node is on chain {nodeChainId}, the deployment on chain {deploymentChainId}.", "节点所在链为 {nodeChainId}，而部署记录的链为 {deploymentChainId}。"),
  CHAIN_CONTRACTS_MISSING: spec(503, "The registry's contracts have no code on this chain ({missing}): the chain was reset or is the wrong one.", "本链上没有登记系统的合约代码（{missing}）：链已被重置或连接了错误的链。"),
  CHAIN_ERROR: spec(502, "The blockchain node rejected the request.", "区块链节点拒绝了请求。"),
  IPFS_UNAVAILABLE: spec(503, "The IPFS node cannot be reached.", "无法连接 IPFS 节点。"),
  IPFS_TIMEOUT: spec(503, "The IPFS node did not answer within {timeoutMs} ms.", "IPFS 节点在 {timeoutMs} 毫秒内未响应。"),
  IPFS_ERROR: spec(502, "The IPFS node failed.", "IPFS 节点出错。"),
  IPFS_CID_MISMATCH: spec(502, "The IPFS node returned content that does not hash to {cid}.", "IPFS 节点返回的内容与 {cid} 不符。"),
  CONTENT_CID_MISMATCH: spec(502, "The content held for {cid} does not hash to it.", "{cid} 对应的内容与其哈希不符。"),
  TX_DROPPED: spec(503, "Transaction {txHash} was dropped before it ran: nothing happened; send the request again.", "交易 {txHash} 未被执行即被丢弃：没有任何变更，请重新提交请求。"),
  OPERATION_INTERRUPTED: spec(503, "The gateway stopped before the request was sent: nothing was sent. Send it again with the same Idempotency-Key.", "网关在请求发出前停止：没有发出任何交易。请使用同一 Idempotency-Key 重新提交。"),
  STORE_UNAVAILABLE: spec(503, "The gateway's database cannot be reached.", "无法访问网关数据库。"),
  COMPLIANCE_TIMEOUT: spec(503, "The compliance checks did not finish within {timeoutMs} ms.", "合规检查未能在 {timeoutMs} 毫秒内完成。"),
  LOG_TAMPERED: spec(409, "The sandbox log is broken at entry {seq} ({reason}); nothing was anchored.", "沙盒日志在第 {seq} 条处断裂（{reason}）；未进行锚定。"),
  INTERNAL: spec(500, "Internal error.", "内部错误。"),
} as const satisfies Record<string, ErrorSpec>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;
