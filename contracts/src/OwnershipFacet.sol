// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

import {IERC173} from "./interfaces/IERC173.sol";
import {LibDiamond} from "./LibDiamond.sol";

/// @title ERC-173 ownership of the diamond.
contract OwnershipFacet {
    function owner() external view returns (address owner_) {
        owner_ = LibDiamond.contractOwner();
    }

    /// @notice Owner only; address(0) renounces ownership. Emits OwnershipTransferred.
    function transferOwnership(address _newOwner) external {
        LibDiamond.enforceIsContractOwner();
        LibDiamond.setContractOwner(_newOwner);
    }
}
