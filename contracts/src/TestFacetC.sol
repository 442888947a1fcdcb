// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.20;

/// @title Test facet C: c01()..c09() return 3001..3009, plus emitTransfer (an ERC-721 Transfer log).
contract TestFacetC {
    function c01() external pure returns (uint256) {
        return 3001;
    }

    function c02() external pure returns (uint256) {
        return 3002;
    }

    function c03() external pure returns (uint256) {
        return 3003;
    }

    function c04() external pure returns (uint256) {
        return 3004;
    }

    function c05() external pure returns (uint256) {
        return 3005;
    }

    function c06() external pure returns (uint256) {
        return 3006;
    }

    function c07() external pure returns (uint256) {
        return 3007;
    }

    function c08() external pure returns (uint256) {
        return 3008;
    }

    function c09() external pure returns (uint256) {
        return 3009;
    }

    /// ERC-721 Transfer: a facet event the sync does not index and must skip.
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);

    function emitTransfer(address _from, address _to, uint256 _tokenId) external {
        emit Transfer(_from, _to, _tokenId);
    }
}
