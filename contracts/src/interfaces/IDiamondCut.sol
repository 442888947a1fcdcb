// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

/// @title EIP-2535 diamond cut interface (plus the shared FacetCut types).
interface IDiamondCut {
    /// Add = 0, Replace = 1, Remove = 2 (ABI-encoded as uint8).
    enum FacetCutAction {
        Add,
        Replace,
        Remove
    }

    struct FacetCut {
        address facetAddress;
        FacetCutAction action;
        bytes4[] functionSelectors;
    }

    /// topic0 0x8faa70878671ccd212d20771b795c50af8fd3ff6cf27f4bde57e5d4de0aeb673, nothing indexed.
    event DiamondCut(FacetCut[] _diamondCut, address _init, bytes _calldata);

    function diamondCut(FacetCut[] calldata _diamondCut, address _init, bytes calldata _calldata) external;
}
