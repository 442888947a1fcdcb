// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

/// @title A plain contract with no loupe and no fallback: facets() on it reverts.
contract NotADiamond {
    uint256 private storedValue;

    function value() external view returns (uint256) {
        return storedValue;
    }

    function setValue(uint256 _value) external {
        storedValue = _value;
    }
}
