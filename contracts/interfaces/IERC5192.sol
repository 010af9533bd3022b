// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title ERC-5192: minimal soulbound NFTs (interface id 0xb45a3c0e)
 * @notice Here "locked" means the token cannot move right now; see {ICollectibleRights}.
 */
interface IERC5192 {
    /// @notice Emitted when a token becomes locked. CollectibleRights does not emit it: its locks follow
    /// from the clock (holding periods), identity status and freezes, which have their own events.
    /// @param tokenId Token.
    event Locked(uint256 tokenId);

    /// @notice Emitted when a token becomes unlocked (not emitted by CollectibleRights, see {Locked}).
    /// @param tokenId Token.
    event Unlocked(uint256 tokenId);

    /// @notice Whether the token is locked. For CollectibleRights: true exactly when a transfer by its holder
    /// to a verified, unfrozen recipient would revert now, i.e. when a recipient-independent transfer rule
    /// fails (pause, frozen holder wallet, frozen token, holder no longer verified, Locked mode, holding
    /// period). Reverts for a token that does not exist.
    /// @param tokenId Token.
    function locked(uint256 tokenId) external view returns (bool);
}
