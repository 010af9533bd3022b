// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title ERC-5192: minimal soulbound NFTs (interface id 0xb45a3c0e)
 * @notice Here "locked" means the token cannot move right now; see {ICollectibleRights}.
 */
interface IERC5192 {
    /// @notice Emitted when a token becomes locked. CollectibleRights does not emit it: its locks follow
    /// from the clock (holding periods) and from freezes, which have their own events.
    event Locked(uint256 tokenId);

    /// @notice Emitted when a token becomes unlocked (not emitted by CollectibleRights, see {Locked}).
    event Unlocked(uint256 tokenId);

    /// @notice Whether the token is locked: for CollectibleRights, its collection is `Locked`, its holding
    /// period runs, or the token or its holder's wallet is frozen. A global pause and the holder's identity
    /// status are not reflected (see {ICollectibleRights-paused} and {IIdentityRegistry-isVerified}).
    /// Reverts for a token that does not exist.
    function locked(uint256 tokenId) external view returns (bool);
}
