// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

/// @title ERC-173 contract ownership.
interface IERC173 {
    /// topic0 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    function owner() external view returns (address owner_);

    function transferOwnership(address _newOwner) external;
}
