// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ICollectibleRights} from "../interfaces/ICollectibleRights.sol";
import {SignatureCheckerParis} from "../libraries/SignatureCheckerParis.sol";

/**
 * @title CollectibleRightsLogic
 * @notice The cold paths of {CollectibleRights}: collection creation, metadata changes, compliance approvals,
 * policy floors and the views `getCollection`, `tokenURI` and `royaltyInfo`. An external library, linked at deployment and run by DELEGATECALL in
 * CollectibleRights' own storage, so that CollectibleRights stays within the 24,576-byte code size limit
 * (EIP-170). Minting and the transfer rules stay in CollectibleRights, so the hot paths pay no extra call.
 * Its functions are meant to be called by CollectibleRights only: called directly, the state-changing ones
 * revert (library call protection) and the views read the library's own, empty, storage.
 *
 * If you are extending it: CollectibleRights has already checked who may act (the caller check for the
 * issuer, REGULATOR_ROLE, the token's existence); this library checks everything else, in the order documented
 * in {ICollectibleRights}.
 */
library CollectibleRightsLogic {
    bytes32 private constant _CREATE_COLLECTION_TYPEHASH = keccak256(
        "CreateCollection(address issuer,bytes32 contentHash,string metadataCID,uint32 maxSupply,"
        "address royaltyReceiver,uint16 royaltyBps,string licenceCID,uint8 rights,uint8 mode,uint32 holdingPeriod,"
        "uint8 minLevel,bytes32 complianceRef,uint64 deadline)"
    );
    bytes32 private constant _UPDATE_METADATA_TYPEHASH = keccak256(
        "UpdateMetadata(uint64 collectionId,address issuer,string metadataCID,bytes32 complianceRef,uint64 deadline)"
    );

    /// @dev Identity level of a licensed issuer; also the highest level.
    uint8 internal constant LICENSED_ISSUER = 4;
    uint16 internal constant MAX_ROYALTY_BPS = 10_000;
    uint8 internal constant ALL_RIGHTS = 0x0F;
    uint8 internal constant ALL_MODES = 0x03;
    uint256 internal constant SERIAL_BITS = 64;

    /// @dev Everything the rule hook and the mint path read about a collection, in one slot.
    struct Core {
        address issuer;
        uint32 holdingPeriod;
        uint24 minted;
        uint24 maxSupply;
        ICollectibleRights.TransferMode mode;
        uint8 minLevel;
    }

    /// @dev Terms read off the hot path, in one slot.
    struct Terms {
        address royaltyReceiver;
        uint16 royaltyBps;
        uint8 rights;
        uint24 burned;
        uint40 createdAt;
    }

    struct CollectionData {
        Core core;
        Terms terms;
        bytes32 contentHash;
        bytes32 complianceRef;
        bytes32 metadataComplianceRef;
        string metadataCID;
        string licenceCID;
    }

    /// @dev All collection and licence state. The counter and the policy floors share the first slot, read by
    /// every creation.
    struct Store {
        uint64 count;
        uint32 minHoldingPeriod;
        uint24 maxEditions;
        uint8 allowedModes;
        uint8 minHolderLevel;
        mapping(uint64 collectionId => CollectionData data) collections;
        mapping(bytes32 contentHash => uint64 collectionId) contentOwner;
        mapping(bytes32 complianceRef => bool consumed) consumedRefs;
        mapping(uint256 tokenId => mapping(address licensee => ICollectibleRights.Licence licence)) licences;
    }

    /**
     * @dev {ICollectibleRights-createCollection} after the caller check. `signerAuthorized` says whether
     * `approval.signer` has COMPLIANCE_SIGNER_ROLE.
     */
    function create(
        Store storage s,
        address issuer,
        ICollectibleRights.CollectionParams calldata p,
        ICollectibleRights.ComplianceApproval calldata approval,
        bytes32 domainSeparator,
        bool signerAuthorized
    ) external returns (uint64 collectionId) {
        if (p.contentHash == bytes32(0) || p.complianceRef == bytes32(0)) {
            revert ICollectibleRights.CollectionMissingHash();
        }
        if (bytes(p.metadataCID).length == 0 || bytes(p.licenceCID).length == 0) {
            revert ICollectibleRights.CollectionEmptyCID();
        }
        uint64 holder = s.contentOwner[p.contentHash];
        if (holder != 0) revert ICollectibleRights.CollectionContentAlreadyRegistered(p.contentHash, holder);
        if (p.maxSupply == 0 || p.maxSupply > type(uint24).max) {
            revert ICollectibleRights.CollectionInvalidMaxSupply(p.maxSupply, type(uint24).max);
        }
        if (p.royaltyBps > MAX_ROYALTY_BPS || (p.royaltyBps != 0 && p.royaltyReceiver == address(0))) {
            revert ICollectibleRights.CollectionInvalidRoyalty(p.royaltyReceiver, p.royaltyBps);
        }
        if (p.rights == 0 || p.rights & ~ALL_RIGHTS != 0) revert ICollectibleRights.CollectionInvalidRights(p.rights);
        if (p.minLevel == 0 || p.minLevel > LICENSED_ISSUER) {
            revert ICollectibleRights.CollectionInvalidMinLevel(p.minLevel);
        }
        _checkFloors(s, p);
        _consumeApproval(
            s,
            p.complianceRef,
            MessageHashUtils.toTypedDataHash(domainSeparator, _createCollectionStructHash(issuer, p, approval.deadline)),
            approval,
            signerAuthorized
        );

        collectionId = ++s.count;
        s.contentOwner[p.contentHash] = collectionId;
        CollectionData storage c = s.collections[collectionId];
        c.core = Core({
            issuer: issuer,
            holdingPeriod: p.holdingPeriod,
            minted: 0,
            maxSupply: uint24(p.maxSupply),
            mode: p.mode,
            minLevel: p.minLevel
        });
        c.terms = Terms({
            royaltyReceiver: p.royaltyReceiver,
            royaltyBps: p.royaltyBps,
            rights: p.rights,
            burned: 0,
            createdAt: uint40(block.timestamp)
        });
        c.contentHash = p.contentHash;
        c.complianceRef = p.complianceRef;
        c.metadataCID = p.metadataCID;
        c.licenceCID = p.licenceCID;
        emit ICollectibleRights.CollectionCreated(
            collectionId, issuer, p.contentHash, msg.sender, p.metadataCID, p.complianceRef
        );
    }

    /**
     * @dev {ICollectibleRights-setMetadataCID} after the caller check for the collection's `issuer`.
     * `signerAuthorized` says whether `approval.signer` has COMPLIANCE_SIGNER_ROLE.
     */
    function updateMetadata(
        Store storage s,
        uint64 collectionId,
        address issuer,
        string calldata metadataCID,
        bytes32 complianceRef,
        ICollectibleRights.ComplianceApproval calldata approval,
        bytes32 domainSeparator,
        bool signerAuthorized
    ) external {
        CollectionData storage c = s.collections[collectionId];
        if (bytes(metadataCID).length == 0) revert ICollectibleRights.CollectionEmptyCID();
        if (keccak256(bytes(metadataCID)) == keccak256(bytes(c.metadataCID))) {
            revert ICollectibleRights.CollectionMetadataUnchanged(collectionId);
        }
        if (complianceRef == bytes32(0)) revert ICollectibleRights.CollectionMissingHash();
        _consumeApproval(
            s,
            complianceRef,
            MessageHashUtils.toTypedDataHash(
                domainSeparator,
                _updateMetadataStructHash(collectionId, issuer, metadataCID, complianceRef, approval.deadline)
            ),
            approval,
            signerAuthorized
        );
        c.metadataCID = metadataCID;
        c.metadataComplianceRef = complianceRef;
        emit ICollectibleRights.CollectionMetadataUpdated(collectionId, issuer, metadataCID, complianceRef);
    }

    /// @dev {ICollectibleRights-setPolicyFloors} after the role check.
    function setPolicyFloors(
        Store storage s,
        ICollectibleRights.PolicyFloors calldata floors,
        bytes32 reason,
        bytes32 evidenceHash
    ) external {
        uint32 minHoldingPeriod = floors.minHoldingPeriod;
        uint24 maxEditions = floors.maxEditions;
        uint8 allowedModes = floors.allowedModes;
        uint8 minHolderLevel = floors.minHolderLevel;
        if (
            allowedModes == 0 || allowedModes & ~ALL_MODES != 0 || maxEditions == 0 || minHolderLevel == 0
                || minHolderLevel > LICENSED_ISSUER
        ) {
            revert ICollectibleRights.PolicyFloorsInvalid(minHoldingPeriod, maxEditions, allowedModes, minHolderLevel);
        }
        s.minHoldingPeriod = minHoldingPeriod;
        s.maxEditions = maxEditions;
        s.allowedModes = allowedModes;
        s.minHolderLevel = minHolderLevel;
        emit ICollectibleRights.PolicyFloorsSet(
            msg.sender, minHoldingPeriod, maxEditions, allowedModes, minHolderLevel, reason, evidenceHash
        );
    }

    /// @dev {IERC721Metadata-tokenURI} of a token that exists.
    function tokenURI(Store storage s, uint256 tokenId) external view returns (string memory) {
        return string.concat("ipfs://", s.collections[uint64(tokenId >> SERIAL_BITS)].metadataCID);
    }

    /// @dev {IERC2981-royaltyInfo}.
    function royaltyInfo(Store storage s, uint256 tokenId, uint256 salePrice)
        external
        view
        returns (address receiver, uint256 amount)
    {
        Terms memory terms = s.collections[uint64(tokenId >> SERIAL_BITS)].terms;
        return (terms.royaltyReceiver, salePrice * terms.royaltyBps / MAX_ROYALTY_BPS);
    }

    /// @dev `abi.encode` of {ICollectibleRights-getCollection}'s return value: the collection as one tuple.
    function encodedCollection(Store storage s, uint64 collectionId) external view returns (bytes memory) {
        CollectionData storage c = s.collections[collectionId];
        Core memory core = c.core;
        if (core.issuer == address(0)) revert ICollectibleRights.CollectionNotFound(collectionId);
        Terms memory terms = c.terms;
        return abi.encode(ICollectibleRights.Collection({
            issuer: core.issuer,
            holdingPeriod: core.holdingPeriod,
            minted: core.minted,
            maxSupply: core.maxSupply,
            mode: core.mode,
            minLevel: core.minLevel,
            royaltyReceiver: terms.royaltyReceiver,
            royaltyBps: terms.royaltyBps,
            rights: terms.rights,
            burned: terms.burned,
            createdAt: terms.createdAt,
            contentHash: c.contentHash,
            complianceRef: c.complianceRef,
            metadataComplianceRef: c.metadataComplianceRef,
            metadataCID: c.metadataCID,
            licenceCID: c.licenceCID
        }));
    }

    /// @dev {ICollectibleRights-hashCreateCollection} under `domainSeparator`.
    function hashCreateCollection(
        bytes32 domainSeparator,
        address issuer,
        ICollectibleRights.CollectionParams calldata p,
        uint64 deadline
    ) external pure returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(domainSeparator, _createCollectionStructHash(issuer, p, deadline));
    }

    /// @dev {ICollectibleRights-hashUpdateMetadata} under `domainSeparator`.
    function hashUpdateMetadata(
        bytes32 domainSeparator,
        uint64 collectionId,
        address issuer,
        string calldata metadataCID,
        bytes32 complianceRef,
        uint64 deadline
    ) external pure returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(
            domainSeparator, _updateMetadataStructHash(collectionId, issuer, metadataCID, complianceRef, deadline)
        );
    }

    function _checkFloors(Store storage s, ICollectibleRights.CollectionParams calldata p) private view {
        uint32 minHoldingPeriod = s.minHoldingPeriod;
        if (p.holdingPeriod < minHoldingPeriod) {
            revert ICollectibleRights.CollectionHoldingPeriodBelowFloor(p.holdingPeriod, minHoldingPeriod);
        }
        uint24 maxEditions = s.maxEditions;
        if (p.maxSupply > maxEditions) revert ICollectibleRights.CollectionMaxSupplyAboveCap(p.maxSupply, maxEditions);
        uint8 mode = uint8(p.mode);
        uint8 allowedModes = s.allowedModes;
        if ((1 << mode) & allowedModes == 0) revert ICollectibleRights.CollectionModeNotAllowed(mode, allowedModes);
        uint8 minHolderLevel = s.minHolderLevel;
        if (p.minLevel < minHolderLevel) {
            revert ICollectibleRights.CollectionMinLevelBelowFloor(p.minLevel, minHolderLevel);
        }
    }

    /// @dev Checks a compliance approval over `digest` and consumes `complianceRef`.
    function _consumeApproval(
        Store storage s,
        bytes32 complianceRef,
        bytes32 digest,
        ICollectibleRights.ComplianceApproval calldata approval,
        bool signerAuthorized
    ) private {
        address signer = approval.signer;
        if (block.timestamp > approval.deadline) {
            revert ICollectibleRights.ApprovalExpired(approval.deadline, block.timestamp);
        }
        if (!signerAuthorized) revert ICollectibleRights.ApprovalSignerNotAuthorized(signer);
        if (s.consumedRefs[complianceRef]) revert ICollectibleRights.ComplianceRefAlreadyUsed(complianceRef);
        if (!SignatureCheckerParis.isValidSignatureNow(signer, digest, approval.signature)) {
            revert ICollectibleRights.ApprovalInvalidSignature(signer);
        }
        s.consumedRefs[complianceRef] = true;
    }

    function _createCollectionStructHash(
        address issuer,
        ICollectibleRights.CollectionParams calldata p,
        uint64 deadline
    ) private pure returns (bytes32) {
        // Two halves: one abi.encode of all fourteen words is too deep for the stack. Static words
        // concatenate to the same bytes.
        bytes memory head = abi.encode(
            _CREATE_COLLECTION_TYPEHASH,
            issuer,
            p.contentHash,
            keccak256(bytes(p.metadataCID)),
            p.maxSupply,
            p.royaltyReceiver,
            p.royaltyBps,
            keccak256(bytes(p.licenceCID))
        );
        bytes memory tail = abi.encode(p.rights, uint8(p.mode), p.holdingPeriod, p.minLevel, p.complianceRef, deadline);
        return keccak256(bytes.concat(head, tail));
    }

    function _updateMetadataStructHash(
        uint64 collectionId,
        address issuer,
        string calldata metadataCID,
        bytes32 complianceRef,
        uint64 deadline
    ) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                _UPDATE_METADATA_TYPEHASH, collectionId, issuer, keccak256(bytes(metadataCID)), complianceRef, deadline
            )
        );
    }
}
