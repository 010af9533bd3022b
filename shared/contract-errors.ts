/**
 * The contracts' custom errors, mapped into the API's error catalogue: a stable code, an HTTP status and
 * message templates in Chinese and English that name the error's arguments by their ABI names
 * (`{recipient}`, `{requiredLevel:level}`). The gateway decodes a revert once, reads its arguments by
 * name and answers with these; the console shows the same texts.
 *
 * Formatters after a colon: `level` (identity level with its label), `time` (unix seconds as a date),
 * `status` (identity status), `mode` (transfer mode).
 *
 * Browser-safe: imports nothing.
 */
export interface ContractErrorInfo {
  code: string;
  status: number;
  en: string;
  zh: string;
}

const e = <C extends string>(code: C, status: number, en: string, zh: string) => ({ code, status, en, zh });

export const CONTRACT_ERRORS = {
  // IdentityRegistry
  IdentityIdZero: e("IDENTITY_ID_ZERO", 400, "The identity id must not be zero.", "身份标识不能为零。"),
  IdentityInvalidWallet: e("INVALID_WALLET", 400, "Invalid wallet {wallet}.", "钱包地址 {wallet} 无效。"),
  IdentityInvalidLevel: e("INVALID_LEVEL", 400, "Level {level} is above the maximum {maxLevel}.", "等级 {level} 超过上限 {maxLevel}。"),
  IdentityInvalidExpiry: e("INVALID_EXPIRY", 400, "The expiry {expiresAt:time} is not after the current block time {now:time}.", "有效期 {expiresAt:time} 不晚于当前区块时间 {now:time}。"),
  IdentityAlreadyRegistered: e("IDENTITY_EXISTS", 409, "Identity {identityId} is already registered.", "身份 {identityId} 已登记。"),
  IdentityNotFound: e("IDENTITY_NOT_FOUND", 404, "No identity {identityId}.", "身份 {identityId} 不存在。"),
  IdentityRevoked: e("IDENTITY_REVOKED", 409, "Identity {identityId} was revoked; revocation is final.", "身份 {identityId} 已被撤销，撤销不可恢复。"),
  IdentityInvalidStatusTransition: e("INVALID_STATUS_TRANSITION", 409, "Identity {identityId} is {current:status}; it cannot become {requested:status}.", "身份 {identityId} 当前为“{current:status}”，不能变为“{requested:status}”。"),
  IdentityWalletAlreadyLinked: e("WALLET_ALREADY_LINKED", 409, "Wallet {wallet} is already linked to identity {identityId}.", "钱包 {wallet} 已关联身份 {identityId}。"),
  IdentityWalletNotLinked: e("WALLET_NOT_LINKED", 404, "Wallet {wallet} is not linked to any identity.", "钱包 {wallet} 未关联任何身份。"),
  IdentityNotActive: e("IDENTITY_NOT_ACTIVE", 403, "Identity {identityId} is {status:status}: only the regulator may unlink its wallets.", "身份 {identityId} 当前为“{status:status}”：只有监管方可以解除其钱包关联。"),
  IdentityWalletHoldsTokens: e("WALLET_HOLDS_TOKENS", 409, "Wallet {wallet} holds {balance} token(s) of registry {registry}; the regulator must move them before it is unlinked.", "钱包 {wallet} 仍持有登记合约 {registry} 的 {balance} 个藏品；须由监管方先行转移后才能解除关联。"),
  IdentityInvalidCustodyRegistry: e("INVALID_CUSTODY_REGISTRY", 400, "{registry} cannot be a custody registry (zero, not an ERC-721, listed twice, or one too many).", "{registry} 不能作为托管登记合约（零地址、非 ERC-721、重复或超出数量）。"),
  IdentityTooManyWallets: e("TOO_MANY_WALLETS", 409, "Identity {identityId} already links the maximum of {maxWallets} wallets.", "身份 {identityId} 关联的钱包已达上限 {maxWallets} 个。"),
  IdentityEmptyBatch: e("EMPTY_BATCH", 400, "The batch is empty.", "批量列表为空。"),

  // CollectibleRights
  IssuerUnauthorizedCaller: e("NOT_ISSUER_OR_OPERATOR", 403, "{caller} may not act for issuer {issuer}.", "{caller} 无权代表发行方 {issuer} 操作。"),
  IssuerMissingRole: e("ISSUER_NOT_LICENSED", 403, "{issuer} does not hold the ISSUER role.", "{issuer} 不具备发行方角色。"),
  IssuerNotVerified: e("ISSUER_NOT_VERIFIED", 422, "Issuer {issuer} is not verified at level {requiredLevel:level}.", "发行方 {issuer} 的认证未达到 {requiredLevel:level}。"),
  IssuerMismatch: e("ISSUER_MISMATCH", 403, "{issuer} is not the issuer of collection {collectionId}.", "{issuer} 不是藏品系列 {collectionId} 的发行方。"),
  CollectionMissingHash: e("MISSING_HASH", 400, "The content hash and the compliance reference must not be zero.", "内容哈希和合规凭证不能为零。"),
  CollectionEmptyCID: e("EMPTY_CID", 400, "A CID must not be empty.", "CID 不能为空。"),
  CollectionContentAlreadyRegistered: e("CONTENT_ALREADY_REGISTERED", 409, "The work {contentHash} is already registered by collection {collectionId}.", "作品 {contentHash} 已由藏品系列 {collectionId} 登记。"),
  CollectionInvalidMaxSupply: e("INVALID_MAX_SUPPLY", 400, "The edition size {maxSupply} must be between 1 and {limit}.", "发行数量 {maxSupply} 必须在 1 到 {limit} 之间。"),
  CollectionInvalidRoyalty: e("INVALID_ROYALTY", 400, "A royalty of {royaltyBps} bps to {receiver} is invalid.", "向 {receiver} 支付 {royaltyBps} 个基点的版税无效。"),
  CollectionInvalidRights: e("INVALID_RIGHTS", 400, "The rights bitmask {rights} is invalid.", "权利位掩码 {rights} 无效。"),
  CollectionInvalidMinLevel: e("INVALID_MIN_LEVEL", 400, "The minimum holder level {minLevel} must be between 1 and 4.", "持有人最低等级 {minLevel} 必须在 1 到 4 之间。"),
  CollectionHoldingPeriodBelowFloor: e("HOLDING_PERIOD_BELOW_FLOOR", 422, "A holding period of {holdingPeriod} s is below the regulator's floor of {minimum} s.", "持有期 {holdingPeriod} 秒低于监管方规定的下限 {minimum} 秒。"),
  CollectionMaxSupplyAboveCap: e("MAX_SUPPLY_ABOVE_CAP", 422, "{maxSupply} editions are above the regulator's cap of {maximum}.", "发行 {maxSupply} 份超过监管方规定的上限 {maximum} 份。"),
  CollectionModeNotAllowed: e("MODE_NOT_ALLOWED", 422, "Transfer mode {mode:mode} is not allowed by the regulator (allowed modes bitmask {allowedModes}).", "监管方不允许流转方式“{mode:mode}”（允许的方式位掩码 {allowedModes}）。"),
  CollectionMinLevelBelowFloor: e("MIN_LEVEL_BELOW_FLOOR", 422, "The minimum holder level {minLevel:level} is below the regulator's floor of {minimum:level}.", "持有人最低等级 {minLevel:level} 低于监管方规定的下限 {minimum:level}。"),
  ApprovalExpired: e("APPROVAL_EXPIRED", 422, "The compliance approval expired at {deadline:time} (block time {timestamp:time}).", "合规批准已于 {deadline:time} 过期（区块时间 {timestamp:time}）。"),
  ApprovalSignerNotAuthorized: e("APPROVAL_SIGNER_NOT_AUTHORIZED", 403, "{signer} is not a compliance signer (COMPLIANCE_SIGNER role).", "{signer} 不是合规签名方（缺少 COMPLIANCE_SIGNER 角色）。"),
  ApprovalInvalidSignature: e("APPROVAL_INVALID_SIGNATURE", 403, "The compliance approval is not signed by {signer} over exactly this request.", "合规批准不是 {signer} 针对本请求所签。"),
  ComplianceRefAlreadyUsed: e("COMPLIANCE_REF_ALREADY_USED", 409, "Compliance decision {complianceRef} was already used.", "合规决定 {complianceRef} 已被使用。"),
  PolicyFloorsInvalid: e("POLICY_FLOORS_INVALID", 400, "Invalid policy floors (holding {minHoldingPeriod} s, cap {maxEditions}, modes {allowedModes}, holder level {minHolderLevel}): modes must be a non-zero subset of 0b11, the cap non-zero, the level 1 to 4.", "监管下限无效（持有期 {minHoldingPeriod} 秒、上限 {maxEditions} 份、流转方式 {allowedModes}、持有人等级 {minHolderLevel}）：流转方式须为 0b11 的非空子集，上限不能为零，等级须在 1 到 4 之间。"),
  CollectionNotFound: e("COLLECTION_NOT_FOUND", 404, "Collection {collectionId} does not exist.", "藏品系列 {collectionId} 不存在。"),
  CollectionMetadataUnchanged: e("METADATA_UNCHANGED", 409, "Collection {collectionId} already has this metadata.", "藏品系列 {collectionId} 的元数据未变化。"),
  CollectionSupplyExceeded: e("MAX_SUPPLY_EXCEEDED", 422, "Collection {collectionId}: {requested} editions requested, only {remaining} remain.", "藏品系列 {collectionId}：申请铸造 {requested} 份，仅剩 {remaining} 份。"),
  RequestAlreadyUsed: e("REQUEST_ALREADY_USED", 409, "Mint request {requestNonce} of issuer {issuer} was already executed.", "发行方 {issuer} 的铸造请求 {requestNonce} 已执行过。"),
  MintRecipientsEmpty: e("EMPTY_RECIPIENTS", 400, "No recipients were given.", "没有提供接收方。"),
  RegistryIsPaused: e("REGISTRY_PAUSED", 423, "The registry is paused by the regulator.", "登记系统已被监管方暂停。"),
  RegistryNotPaused: e("REGISTRY_NOT_PAUSED", 409, "The registry is not paused.", "登记系统未处于暂停状态。"),
  SenderFrozen: e("SENDER_FROZEN", 423, "Wallet {sender} is frozen.", "钱包 {sender} 已被冻结。"),
  RecipientFrozen: e("RECIPIENT_FROZEN", 423, "The recipient's wallet {recipient} is frozen.", "接收方钱包 {recipient} 已被冻结。"),
  TokenIsFrozen: e("TOKEN_FROZEN", 423, "Token {tokenId} is frozen.", "藏品 {tokenId} 已被冻结。"),
  RecipientNotVerified: e("RECIPIENT_NOT_VERIFIED", 422, "Recipient {recipient} is not a verified identity at level {requiredLevel:level}.", "接收方 {recipient} 的实名认证未达到 {requiredLevel:level}。"),
  SenderNotVerified: e("SENDER_NOT_VERIFIED", 422, "Sender {sender} is no longer verified at level {requiredLevel:level}.", "转出方 {sender} 的认证已不再达到 {requiredLevel:level}。"),
  TransferModeLocked: e("TRANSFER_LOCKED", 422, "Token {tokenId} belongs to a collection whose editions never move.", "藏品 {tokenId} 所属系列不允许转赠。"),
  HoldingPeriodActive: e("HOLDING_PERIOD_ACTIVE", 422, "Token {tokenId} is in its holding period until {unlocksAt:time}.", "藏品 {tokenId} 处于持有期内，{unlocksAt:time} 之前不可转赠。"),
  WalletAlreadyFrozen: e("WALLET_ALREADY_FROZEN", 409, "Wallet {wallet} is already frozen.", "钱包 {wallet} 已处于冻结状态。"),
  WalletNotFrozen: e("WALLET_NOT_FROZEN", 409, "Wallet {wallet} is not frozen.", "钱包 {wallet} 未被冻结。"),
  TokenAlreadyFrozen: e("TOKEN_ALREADY_FROZEN", 409, "Token {tokenId} is already frozen.", "藏品 {tokenId} 已处于冻结状态。"),
  TokenNotFrozen: e("TOKEN_NOT_FROZEN", 409, "Token {tokenId} is not frozen.", "藏品 {tokenId} 未被冻结。"),
  LicenceCallerNotHolder: e("NOT_TOKEN_HOLDER", 403, "{caller} does not hold token {tokenId}.", "{caller} 不是藏品 {tokenId} 的持有人。"),
  LicenceScopeNotGranted: e("LICENCE_SCOPE_NOT_GRANTED", 422, "Scope {scope} is not within the rights {grantedRights} granted for token {tokenId}.", "授权范围 {scope} 超出藏品 {tokenId} 的权利范围 {grantedRights}。"),
  LicenceInvalidExpiry: e("LICENCE_INVALID_EXPIRY", 400, "The licence expiry {expiresAt:time} for token {tokenId} is not in the future.", "藏品 {tokenId} 的授权到期时间 {expiresAt:time} 不在未来。"),
  LicenseeNotVerified: e("LICENSEE_NOT_VERIFIED", 422, "Licensee {licensee} is not verified at level {requiredLevel:level}.", "被授权人 {licensee} 的认证未达到 {requiredLevel:level}。"),
  LicenceNotFound: e("LICENCE_NOT_FOUND", 404, "No licence in force for {licensee} over token {tokenId}.", "{licensee} 对藏品 {tokenId} 没有有效授权。"),

  // EvidenceRegistry
  EvidenceIdZero: e("EVIDENCE_ID_ZERO", 400, "The evidence id must not be zero.", "存证标识不能为零。"),
  EvidenceHashZero: e("EVIDENCE_HASH_ZERO", 400, "The evidence hash must not be zero.", "存证哈希不能为零。"),
  EvidenceAlreadyExists: e("EVIDENCE_EXISTS", 409, "Evidence {id} already exists.", "存证 {id} 已存在。"),
  EvidenceNotFound: e("EVIDENCE_NOT_FOUND", 404, "Evidence {id} does not exist.", "存证 {id} 不存在。"),
  EvidenceHashNotFound: e("EVIDENCE_HASH_NOT_FOUND", 404, "No evidence has hash {hash}.", "没有哈希为 {hash} 的存证。"),
  EvidenceHashAlreadyRecorded: e("EVIDENCE_HASH_RECORDED", 409, "Hash {hash} is already recorded as evidence {id}.", "哈希 {hash} 已登记为存证 {id}。"),
  EvidenceEmptyBatch: e("EMPTY_BATCH", 400, "The batch is empty.", "批量列表为空。"),
  CheckpointLogIdZero: e("CHECKPOINT_LOG_ID_ZERO", 400, "The log id must not be zero.", "日志标识不能为零。"),
  CheckpointRootZero: e("CHECKPOINT_ROOT_ZERO", 400, "The root hash must not be zero.", "根哈希不能为零。"),
  CheckpointSizeNotIncreasing: e("CHECKPOINT_SIZE_NOT_INCREASING", 409, "Log {logId}: a checkpoint of {treeSize} entries does not grow past the last one ({lastTreeSize} entries).", "日志 {logId}：包含 {treeSize} 条记录的检查点没有超过上一个检查点（{lastTreeSize} 条）。"),
  CheckpointIndexOutOfRange: e("CHECKPOINT_NOT_FOUND", 404, "Log {logId} has no checkpoint {index} (it has {count}).", "日志 {logId} 没有第 {index} 个检查点（共 {count} 个）。"),

  // OpenZeppelin (ERC-6093, AccessControl)
  AccessControlBadConfirmation: e("CHAIN_BAD_CONFIRMATION", 400, "An account can only renounce its own roles.", "账户只能放弃自己的角色。"),
  AccessControlUnauthorizedAccount: e("CHAIN_ROLE_MISSING", 403, "Account {account} lacks the on-chain role {neededRole}.", "账户 {account} 缺少链上角色 {neededRole}。"),
  AccessControlEnforcedDefaultAdminRules: e("CHAIN_ADMIN_RULES", 409, "The admin role is handed over only with beginDefaultAdminTransfer and acceptDefaultAdminTransfer.", "管理员角色只能通过 beginDefaultAdminTransfer 和 acceptDefaultAdminTransfer 移交。"),
  AccessControlEnforcedDefaultAdminDelay: e("CHAIN_ADMIN_DELAY", 409, "The admin hand-over can be accepted only after {schedule:time}.", "管理员移交须在 {schedule:time} 之后才能接受。"),
  AccessControlInvalidDefaultAdmin: e("CHAIN_INVALID_ADMIN", 403, "{defaultAdmin} is not the pending admin.", "{defaultAdmin} 不是待接任的管理员。"),
  SafeCastOverflowedUintDowncast: e("CHAIN_VALUE_TOO_LARGE", 400, "The value {value} does not fit in {bits} bits.", "数值 {value} 超出 {bits} 位的范围。"),
  InvalidShortString: e("CHAIN_INVALID_SHORT_STRING", 400, "Invalid short string.", "短字符串无效。"),
  StringTooLong: e("CHAIN_STRING_TOO_LONG", 400, "The string is too long.", "字符串过长。"),
  ERC721NonexistentToken: e("TOKEN_NOT_FOUND", 404, "Token {tokenId} does not exist.", "藏品 {tokenId} 不存在。"),
  ERC721IncorrectOwner: e("INCORRECT_OWNER", 409, "Token {tokenId} is held by {owner}, not {sender}.", "藏品 {tokenId} 的持有人是 {owner}，而不是 {sender}。"),
  ERC721InsufficientApproval: e("INSUFFICIENT_APPROVAL", 403, "{operator} is not approved to move token {tokenId}.", "{operator} 未获授权转移藏品 {tokenId}。"),
  ERC721InvalidReceiver: e("INVALID_RECEIVER", 400, "Invalid receiver {receiver}.", "接收方 {receiver} 无效。"),
  ERC721InvalidSender: e("INVALID_SENDER", 400, "Invalid sender {sender}.", "转出方 {sender} 无效。"),
  ERC721InvalidOwner: e("INVALID_OWNER", 400, "Invalid owner {owner}.", "持有人 {owner} 无效。"),
  ERC721InvalidOperator: e("INVALID_OPERATOR", 400, "Invalid operator {operator}.", "操作员 {operator} 无效。"),
  ERC721InvalidApprover: e("INVALID_APPROVER", 403, "Invalid approver {approver}.", "授权人 {approver} 无效。"),
} as const satisfies Record<string, ContractErrorInfo>;

export type ContractErrorName = keyof typeof CONTRACT_ERRORS;

/** The catalogue entry of a custom error, or undefined for an error that is not ours. */
export function contractErrorInfo(name: string): ContractErrorInfo | undefined {
  return Object.hasOwn(CONTRACT_ERRORS, name) ? CONTRACT_ERRORS[name as ContractErrorName] : undefined;
}
