/**
 * One table from the contracts' custom errors to stable API codes, HTTP statuses and human messages.
 * The gateway decodes reverts with it and the console shows the same texts.
 */
export interface ContractErrorInfo {
  code: string;
  status: number;
  message: (args: readonly unknown[]) => string;
}

const LEVELS = ["none", "phone-registered", "real-name individual", "real-name enterprise", "licensed issuer"];
const level = (v: unknown) => `${String(v)} (${LEVELS[Number(v)] ?? "unknown"})`;
const s = (v: unknown) => String(v);
const STATUSES = ["None", "Active", "Suspended", "Revoked"];
const MODES = ["Locked", "GiftToVerified"];

export const CONTRACT_ERRORS: Record<string, ContractErrorInfo> = {
  // IdentityRegistry
  IdentityIdZero: { code: "IDENTITY_ID_ZERO", status: 400, message: () => "The identity id must not be zero." },
  IdentityInvalidWallet: { code: "INVALID_WALLET", status: 400, message: (a) => `Invalid wallet ${s(a[0])}.` },
  IdentityInvalidLevel: {
    code: "INVALID_LEVEL",
    status: 400,
    message: (a) => `Level ${s(a[0])} is above the maximum ${s(a[1])}.`,
  },
  IdentityInvalidExpiry: {
    code: "INVALID_EXPIRY",
    status: 400,
    message: (a) => `Expiry ${s(a[0])} is not after the current block time ${s(a[1])}.`,
  },
  IdentityAlreadyRegistered: {
    code: "IDENTITY_EXISTS",
    status: 409,
    message: (a) => `Identity ${s(a[0])} is already registered.`,
  },
  IdentityNotFound: { code: "IDENTITY_NOT_FOUND", status: 404, message: (a) => `Identity ${s(a[0])} does not exist.` },
  IdentityRevoked: {
    code: "IDENTITY_REVOKED",
    status: 409,
    message: (a) => `Identity ${s(a[0])} was revoked; revocation is final.`,
  },
  IdentityNotActive: {
    code: "IDENTITY_NOT_ACTIVE",
    status: 403,
    message: (a) =>
      `Identity ${s(a[0])} is ${STATUSES[Number(a[1])] ?? `in status ${s(a[1])}`}: only the regulator may unlink its wallets.`,
  },
  IdentityInvalidStatusTransition: {
    code: "INVALID_STATUS_TRANSITION",
    status: 409,
    message: (a) => `Identity ${s(a[0])} is in status ${s(a[1])}; it cannot move to status ${s(a[2])}.`,
  },
  IdentityWalletAlreadyLinked: {
    code: "WALLET_ALREADY_LINKED",
    status: 409,
    message: (a) => `Wallet ${s(a[0])} is already linked to identity ${s(a[1])}.`,
  },
  IdentityWalletNotLinked: {
    code: "WALLET_NOT_LINKED",
    status: 404,
    message: (a) => `Wallet ${s(a[0])} is not linked to any identity.`,
  },
  IdentityWalletHoldsTokens: {
    code: "WALLET_HOLDS_TOKENS",
    status: 409,
    message: (a) =>
      `Wallet ${s(a[0])} holds ${s(a[2])} token(s) of registry ${s(a[1])}; the regulator must move them before it is unlinked.`,
  },
  IdentityInvalidCustodyRegistry: {
    code: "INVALID_CUSTODY_REGISTRY",
    status: 400,
    message: (a) => `${s(a[0])} cannot be a custody registry (zero, not an ERC-721, listed twice, or one too many).`,
  },
  IdentityTooManyWallets: {
    code: "TOO_MANY_WALLETS",
    status: 409,
    message: (a) => `Identity ${s(a[0])} already links the maximum of ${s(a[1])} wallets.`,
  },
  IdentityEmptyBatch: { code: "EMPTY_BATCH", status: 400, message: () => "The batch is empty." },

  // CollectibleRights
  IssuerUnauthorizedCaller: {
    code: "NOT_ISSUER_OR_OPERATOR",
    status: 403,
    message: (a) => `${s(a[0])} may not act for issuer ${s(a[1])}.`,
  },
  IssuerMissingRole: {
    code: "ISSUER_NOT_LICENSED",
    status: 403,
    message: (a) => `${s(a[0])} does not hold the ISSUER role.`,
  },
  IssuerNotVerified: {
    code: "ISSUER_NOT_VERIFIED",
    status: 422,
    message: (a) => `Issuer ${s(a[0])} is not verified at level ${level(a[1])}.`,
  },
  IssuerMismatch: {
    code: "ISSUER_MISMATCH",
    status: 403,
    message: (a) => `${s(a[1])} is not the issuer of collection ${s(a[0])}.`,
  },
  CollectionMissingHash: {
    code: "MISSING_HASH",
    status: 400,
    message: () => "The content hash and the compliance reference must not be zero.",
  },
  CollectionEmptyCID: { code: "EMPTY_CID", status: 400, message: () => "A CID must not be empty." },
  CollectionContentAlreadyRegistered: {
    code: "CONTENT_ALREADY_REGISTERED",
    status: 409,
    message: (a) => `Content hash ${s(a[0])} is already registered by collection ${s(a[1])}.`,
  },
  CollectionInvalidMaxSupply: {
    code: "INVALID_MAX_SUPPLY",
    status: 400,
    message: (a) => `Max supply ${s(a[0])} must be between 1 and ${s(a[1])}.`,
  },
  CollectionInvalidRoyalty: {
    code: "INVALID_ROYALTY",
    status: 400,
    message: (a) => `Royalty of ${s(a[1])} bps to ${s(a[0])} is invalid.`,
  },
  CollectionInvalidRights: {
    code: "INVALID_RIGHTS",
    status: 400,
    message: (a) => `Rights bitmask ${s(a[0])} is invalid.`,
  },
  CollectionInvalidMinLevel: {
    code: "INVALID_MIN_LEVEL",
    status: 400,
    message: (a) => `Minimum holder level ${s(a[0])} must be between 1 and 4.`,
  },
  CollectionHoldingPeriodBelowFloor: {
    code: "HOLDING_PERIOD_BELOW_FLOOR",
    status: 422,
    message: (a) => `Holding period of ${s(a[0])} s is below the regulator's floor of ${s(a[1])} s.`,
  },
  CollectionMaxSupplyAboveCap: {
    code: "MAX_SUPPLY_ABOVE_CAP",
    status: 422,
    message: (a) => `${s(a[0])} editions are above the regulator's cap of ${s(a[1])}.`,
  },
  CollectionModeNotAllowed: {
    code: "MODE_NOT_ALLOWED",
    status: 422,
    message: (a) => `Transfer mode ${MODES[Number(a[0])] ?? s(a[0])} is not allowed by the regulator (allowed modes bitmask ${s(a[1])}).`,
  },
  CollectionMinLevelBelowFloor: {
    code: "MIN_LEVEL_BELOW_FLOOR",
    status: 422,
    message: (a) => `Minimum holder level ${level(a[0])} is below the regulator's floor of ${level(a[1])}.`,
  },
  ApprovalExpired: {
    code: "APPROVAL_EXPIRED",
    status: 422,
    message: (a) =>
      `The compliance approval expired at ${new Date(Number(a[0]) * 1000).toISOString()} (block time ${new Date(Number(a[1]) * 1000).toISOString()}).`,
  },
  ApprovalSignerNotAuthorized: {
    code: "APPROVAL_SIGNER_NOT_AUTHORIZED",
    status: 403,
    message: (a) => `${s(a[0])} is not a compliance signer (COMPLIANCE_SIGNER role).`,
  },
  ApprovalInvalidSignature: {
    code: "APPROVAL_INVALID_SIGNATURE",
    status: 403,
    message: (a) => `The compliance approval is not signed by ${s(a[0])} over exactly this request.`,
  },
  ComplianceRefAlreadyUsed: {
    code: "COMPLIANCE_REF_ALREADY_USED",
    status: 409,
    message: (a) => `Compliance decision ${s(a[0])} was already used.`,
  },
  PolicyFloorsInvalid: {
    code: "POLICY_FLOORS_INVALID",
    status: 400,
    message: (a) =>
      `Invalid policy floors (holding ${s(a[0])} s, cap ${s(a[1])}, modes ${s(a[2])}, holder level ${s(a[3])}): ` +
      "modes must be a non-zero subset of 0b11, the cap non-zero, the level 1 to 4.",
  },
  CollectionNotFound: {
    code: "COLLECTION_NOT_FOUND",
    status: 404,
    message: (a) => `Collection ${s(a[0])} does not exist.`,
  },
  CollectionMetadataUnchanged: {
    code: "METADATA_UNCHANGED",
    status: 409,
    message: (a) => `Collection ${s(a[0])} already has this metadata CID.`,
  },
  CollectionSupplyExceeded: {
    code: "MAX_SUPPLY_EXCEEDED",
    status: 422,
    message: (a) => `Collection ${s(a[0])}: ${s(a[1])} editions requested but only ${s(a[2])} remain.`,
  },
  RequestAlreadyUsed: {
    code: "REQUEST_ALREADY_USED",
    status: 409,
    message: (a) => `Mint request nonce ${s(a[1])} of issuer ${s(a[0])} was already executed.`,
  },
  MintRecipientsEmpty: { code: "EMPTY_RECIPIENTS", status: 400, message: () => "No recipients were given." },
  RegistryIsPaused: { code: "REGISTRY_PAUSED", status: 423, message: () => "The registry is paused by the regulator." },
  RegistryNotPaused: { code: "REGISTRY_NOT_PAUSED", status: 409, message: () => "The registry is not paused." },
  SenderFrozen: { code: "SENDER_FROZEN", status: 423, message: (a) => `Wallet ${s(a[0])} is frozen.` },
  RecipientFrozen: { code: "RECIPIENT_FROZEN", status: 423, message: (a) => `Recipient wallet ${s(a[0])} is frozen.` },
  TokenIsFrozen: { code: "TOKEN_FROZEN", status: 423, message: (a) => `Token ${s(a[0])} is frozen.` },
  RecipientNotVerified: {
    code: "RECIPIENT_NOT_VERIFIED",
    status: 422,
    message: (a) => `Recipient ${s(a[0])} is not a verified identity at level ${level(a[1])}.`,
  },
  SenderNotVerified: {
    code: "SENDER_NOT_VERIFIED",
    status: 422,
    message: (a) => `Sender ${s(a[0])} is no longer verified at level ${level(a[1])}.`,
  },
  TransferModeLocked: {
    code: "TRANSFER_LOCKED",
    status: 422,
    message: (a) => `Token ${s(a[0])} belongs to a collection whose editions never move.`,
  },
  HoldingPeriodActive: {
    code: "HOLDING_PERIOD_ACTIVE",
    status: 422,
    message: (a) => `Token ${s(a[0])} cannot move before ${new Date(Number(a[1]) * 1000).toISOString()}.`,
  },
  WalletAlreadyFrozen: { code: "WALLET_ALREADY_FROZEN", status: 409, message: (a) => `Wallet ${s(a[0])} is already frozen.` },
  WalletNotFrozen: { code: "WALLET_NOT_FROZEN", status: 409, message: (a) => `Wallet ${s(a[0])} is not frozen.` },
  TokenAlreadyFrozen: { code: "TOKEN_ALREADY_FROZEN", status: 409, message: (a) => `Token ${s(a[0])} is already frozen.` },
  TokenNotFrozen: { code: "TOKEN_NOT_FROZEN", status: 409, message: (a) => `Token ${s(a[0])} is not frozen.` },
  LicenceCallerNotHolder: {
    code: "NOT_TOKEN_HOLDER",
    status: 403,
    message: (a) => `${s(a[1])} does not hold token ${s(a[0])}.`,
  },
  LicenceScopeNotGranted: {
    code: "LICENCE_SCOPE_NOT_GRANTED",
    status: 422,
    message: (a) => `Scope ${s(a[1])} is not within the rights ${s(a[2])} granted for token ${s(a[0])}.`,
  },
  LicenceInvalidExpiry: {
    code: "LICENCE_INVALID_EXPIRY",
    status: 400,
    message: (a) => `Licence expiry ${s(a[1])} for token ${s(a[0])} is not in the future.`,
  },
  LicenseeNotVerified: {
    code: "LICENSEE_NOT_VERIFIED",
    status: 422,
    message: (a) => `Licensee ${s(a[0])} is not verified at level ${level(a[1])}.`,
  },
  LicenceNotFound: {
    code: "LICENCE_NOT_FOUND",
    status: 404,
    message: (a) => `No licence in force for ${s(a[1])} over token ${s(a[0])}.`,
  },

  // EvidenceRegistry
  EvidenceIdZero: { code: "EVIDENCE_ID_ZERO", status: 400, message: () => "The evidence id must not be zero." },
  EvidenceHashZero: { code: "EVIDENCE_HASH_ZERO", status: 400, message: () => "The evidence hash must not be zero." },
  EvidenceAlreadyExists: {
    code: "EVIDENCE_EXISTS",
    status: 409,
    message: (a) => `Evidence ${s(a[0])} already exists.`,
  },
  EvidenceNotFound: { code: "EVIDENCE_NOT_FOUND", status: 404, message: (a) => `Evidence ${s(a[0])} does not exist.` },
  EvidenceHashNotFound: {
    code: "EVIDENCE_HASH_NOT_FOUND",
    status: 404,
    message: (a) => `No evidence has hash ${s(a[0])}.`,
  },
  EvidenceHashAlreadyRecorded: {
    code: "EVIDENCE_HASH_RECORDED",
    status: 409,
    message: (a) => `Hash ${s(a[0])} is already recorded under evidence ${s(a[1])}.`,
  },
  EvidenceEmptyBatch: { code: "EMPTY_BATCH", status: 400, message: () => "The batch is empty." },
  CheckpointLogIdZero: { code: "CHECKPOINT_LOG_ID_ZERO", status: 400, message: () => "The log id must not be zero." },
  CheckpointRootZero: { code: "CHECKPOINT_ROOT_ZERO", status: 400, message: () => "The root hash must not be zero." },
  CheckpointSizeNotIncreasing: {
    code: "CHECKPOINT_SIZE_NOT_INCREASING",
    status: 409,
    message: (a) => `Log ${s(a[0])}: a checkpoint of ${s(a[1])} entries does not grow past the last one (${s(a[2])} entries).`,
  },
  CheckpointIndexOutOfRange: {
    code: "CHECKPOINT_NOT_FOUND",
    status: 404,
    message: (a) => `Log ${s(a[0])} has no checkpoint ${s(a[1])} (it has ${s(a[2])}).`,
  },

  // OpenZeppelin (ERC-6093, AccessControl)
  AccessControlBadConfirmation: {
    code: "CHAIN_BAD_CONFIRMATION",
    status: 400,
    message: () => "An account can only renounce its own roles.",
  },
  AccessControlUnauthorizedAccount: {
    code: "CHAIN_ROLE_MISSING",
    status: 403,
    message: (a) => `Account ${s(a[0])} lacks the on-chain role ${s(a[1])}.`,
  },
  AccessControlEnforcedDefaultAdminRules: {
    code: "CHAIN_ADMIN_RULES",
    status: 409,
    message: () => "The admin role is handed over only with beginDefaultAdminTransfer and acceptDefaultAdminTransfer.",
  },
  AccessControlEnforcedDefaultAdminDelay: {
    code: "CHAIN_ADMIN_DELAY",
    status: 409,
    message: (a) => `The admin hand-over can be accepted only after ${new Date(Number(a[0]) * 1000).toISOString()}.`,
  },
  AccessControlInvalidDefaultAdmin: {
    code: "CHAIN_INVALID_ADMIN",
    status: 403,
    message: (a) => `${s(a[0])} is not the pending admin.`,
  },
  SafeCastOverflowedUintDowncast: {
    code: "CHAIN_VALUE_TOO_LARGE",
    status: 400,
    message: (a) => `The value ${s(a[1])} does not fit in ${s(a[0])} bits.`,
  },
  InvalidShortString: { code: "CHAIN_INVALID_SHORT_STRING", status: 400, message: () => "Invalid short string." },
  StringTooLong: { code: "CHAIN_STRING_TOO_LONG", status: 400, message: (a) => `The string "${s(a[0])}" is too long.` },
  ERC721NonexistentToken: { code: "TOKEN_NOT_FOUND", status: 404, message: (a) => `Token ${s(a[0])} does not exist.` },
  ERC721IncorrectOwner: {
    code: "INCORRECT_OWNER",
    status: 409,
    message: (a) => `Token ${s(a[1])} is held by ${s(a[2])}, not ${s(a[0])}.`,
  },
  ERC721InsufficientApproval: {
    code: "INSUFFICIENT_APPROVAL",
    status: 403,
    message: (a) => `${s(a[0])} is not approved to move token ${s(a[1])}.`,
  },
  ERC721InvalidReceiver: { code: "INVALID_RECEIVER", status: 400, message: (a) => `Invalid receiver ${s(a[0])}.` },
  ERC721InvalidSender: { code: "INVALID_SENDER", status: 400, message: (a) => `Invalid sender ${s(a[0])}.` },
  ERC721InvalidOwner: { code: "INVALID_OWNER", status: 400, message: (a) => `Invalid owner ${s(a[0])}.` },
  ERC721InvalidOperator: { code: "INVALID_OPERATOR", status: 400, message: (a) => `Invalid operator ${s(a[0])}.` },
  ERC721InvalidApprover: { code: "INVALID_APPROVER", status: 403, message: (a) => `Invalid approver ${s(a[0])}.` },
};

/** Looks up a decoded custom error; unknown names get a generic 422. */
export function describeContractError(name: string, args: readonly unknown[]): { code: string; status: number; message: string } {
  const info = CONTRACT_ERRORS[name];
  if (!info) return { code: "CHAIN_REVERTED", status: 422, message: `The transaction reverted with ${name}.` };
  return { code: info.code, status: info.status, message: info.message(args) };
}
