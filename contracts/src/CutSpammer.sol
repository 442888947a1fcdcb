// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IDiamondCut} from "./interfaces/IDiamondCut.sol";
import {LibDiamond} from "./LibDiamond.sol";

/// @title Test-only facet that emits many DiamondCut events cheaply (benchmarks).
/// @notice Emits events only; diamond storage is never touched, so the loupe does not change.
///         Event i (from 0) is Add [selector] -> facet when i is even and Remove [selector]
///         (facet address(0)) when i is odd, each with _init = address(0) and empty _calldata.
///         An even n therefore leaves the state derived from the events unchanged, provided
///         `selector` is not already registered on the diamond. Anyone may call it.
contract CutSpammer {
    function emitCuts(uint256 n, address facet, bytes4 selector) external {
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = selector;
        IDiamondCut.FacetCut[] memory addCut = new IDiamondCut.FacetCut[](1);
        addCut[0] = IDiamondCut.FacetCut({
            facetAddress: facet,
            action: IDiamondCut.FacetCutAction.Add,
            functionSelectors: selectors
        });
        IDiamondCut.FacetCut[] memory removeCut = new IDiamondCut.FacetCut[](1);
        removeCut[0] = IDiamondCut.FacetCut({
            facetAddress: address(0),
            action: IDiamondCut.FacetCutAction.Remove,
            functionSelectors: selectors
        });
        for (uint256 i = 0; i < n; i++) {
            emit LibDiamond.DiamondCut(i % 2 == 0 ? addCut : removeCut, address(0), "");
        }
    }
}
